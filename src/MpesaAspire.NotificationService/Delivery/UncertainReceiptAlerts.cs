using Microsoft.Extensions.Options;
using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.NotificationService.Delivery;

/// <summary>
/// Tells the admin chat about each receipt that became uncertain: it is not resent automatically, so
/// a person must decide. Best effort (logged either way; the dashboard lists them all).
/// </summary>
internal sealed class UncertainReceiptAlerts(
    TelegramDelivery delivery,
    IHostApplicationLifetime lifetime,
    IOptions<TelegramOptions> options,
    ILogger<UncertainReceiptAlerts> logger)
{
    public void Report(IEnumerable<PendingNotification> receipts)
    {
        ArgumentNullException.ThrowIfNull(receipts);
        foreach (var receipt in receipts)
        {
            logger.ReceiptUncertain(receipt.NotificationId, receipt.CheckoutRequestId, PhoneNumbers.Mask(receipt.PhoneNumber));
            var settings = options.Value;
            if (settings.IsDryRun || settings.AdminChatId is not { } adminChatId || !PendingNotificationMapping.TryMap(receipt, out var notification, out _))
            {
                continue;
            }

            _ = AlertAsync(adminChatId, notification);
        }
    }

    private async Task AlertAsync(long adminChatId, PaymentNotification receipt)
    {
        try
        {
            var outcome = await delivery.SendAsync(
                adminChatId, MessageRenderer.RenderUncertainReceipt(receipt), slotHeld: false, beforeSend: null, lifetime.ApplicationStopping);
            if (outcome.Status != SendStatus.Delivered)
            {
                logger.UncertainAlertFailed(receipt.NotificationId, outcome.Detail);
            }
        }
        catch (Exception exception) when (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            logger.UncertainAlertFailed(receipt.NotificationId, exception.Message);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the receipt stays listed as uncertain.
        }
    }
}
