using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// Delivers payment notifications: once per notification id (a repeat of a delivered id answers the
/// same message id and sends nothing), admin messages through the admin chat's queue (which may
/// digest them), receipts straight to the payer's chat, everything paced to Telegram's limits.
/// Without a bot token it renders and logs each message instead (dry-run).
/// </summary>
internal sealed class TelegramSender(
    DeliveredNotifications delivered,
    DigestBatcher adminQueue,
    TelegramDelivery delivery,
    NotificationMetrics metrics,
    IOptions<TelegramOptions> options,
    ILogger<TelegramSender> logger)
{
    private readonly ConcurrentDictionary<long, Task<SendOutcome>> _inFlight = new();

    /// <summary>
    /// Sends one notification. <paramref name="beforeSend"/> (receipts only) runs right before the request
    /// leaves for Telegram; when it answers false nothing is sent.
    /// </summary>
    public async Task<SendOutcome> SendAsync(
        PaymentNotification notification, Func<CancellationToken, Task<bool>>? beforeSend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);

        if (delivered.TryGet(notification.NotificationId, out var previous))
        {
            logger.AlreadyDelivered(notification.NotificationId, previous.MessageId);
            metrics.NotificationHandled(notification.Kind, previous);
            return previous with { Detail = "already delivered" };
        }

        var mine = new TaskCompletionSource<SendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _inFlight.GetOrAdd(notification.NotificationId, mine.Task);
        if (running != mine.Task)
        {
            return await JoinAsync(running, cancellationToken);
        }

        try
        {
            var outcome = await SendOnceAsync(notification, beforeSend, cancellationToken);
            Report(notification, outcome);
            mine.TrySetResult(outcome);
            return outcome;
        }
        catch (OperationCanceledException exception)
        {
            mine.TrySetCanceled(exception.CancellationToken);
            throw;
        }
        catch (Exception exception)
        {
            mine.TrySetException(exception);
            _ = mine.Task.Exception;
            throw;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<long, Task<SendOutcome>>(notification.NotificationId, mine.Task));
        }
    }

    /// <summary>The same id is being sent right now (a relay and a dispatcher racing): share that send's outcome.</summary>
    private async Task<SendOutcome> JoinAsync(Task<SendOutcome> running, CancellationToken cancellationToken)
    {
        try
        {
            return await running.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return SendOutcome.Retry(1, "a concurrent send of this notification did not finish");
        }
    }

    private async Task<SendOutcome> SendOnceAsync(
        PaymentNotification notification, Func<CancellationToken, Task<bool>>? beforeSend, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.IsDryRun)
        {
            return RenderOnly(notification, settings);
        }

        if (notification.IsAdmin)
        {
            if (settings.AdminChatId is not { } adminChatId)
            {
                // Not a failure of the message: it waits in the outbox until the setting is there.
                logger.NoAdminChat(NotificationMetrics.KindName(notification.Kind), notification.NotificationId, notification.CheckoutRequestId);
                return SendOutcome.Waiting(settings.MisconfiguredRetryAfterSeconds, "no admin chat configured (Telegram:AdminChatId): waiting for it");
            }

            return await adminQueue.SendAsync(notification, adminChatId, cancellationToken);
        }

        if (notification.ChatId is not { } chatId)
        {
            return SendOutcome.FailedPermanently("no chat to send the receipt to");
        }

        var outcome = await delivery.SendAsync(chatId, MessageRenderer.Render(notification), slotHeld: false, beforeSend, cancellationToken);
        if (outcome.Status == SendStatus.Delivered)
        {
            delivered.Remember(notification.NotificationId, outcome);
        }

        return outcome;
    }

    private SendOutcome RenderOnly(PaymentNotification notification, TelegramOptions settings)
    {
        var message = MessageRenderer.Render(notification);
        var chatId = notification.IsAdmin ? settings.AdminChatId : notification.ChatId;
        logger.DryRunRendered(
            NotificationMetrics.KindName(notification.Kind),
            notification.NotificationId,
            chatId?.ToString(CultureInfo.InvariantCulture) ?? "(none configured)",
            PhoneNumbers.MaskIn(message.Text, notification.PhoneNumber));

        var outcome = SendOutcome.RenderedOnly();
        delivered.Remember(notification.NotificationId, outcome);
        return outcome;
    }

    private void Report(PaymentNotification notification, SendOutcome outcome)
    {
        metrics.NotificationHandled(notification.Kind, outcome);
        var kind = NotificationMetrics.KindName(notification.Kind);
        switch (outcome.Status)
        {
            case SendStatus.Delivered when outcome.DryRun:
                break;
            case SendStatus.Delivered when notification.IsAdmin:
                logger.AdminNotificationSent(
                    notification.NotificationId, notification.CheckoutRequestId, outcome.MigratedToChatId ?? options.Value.AdminChatId ?? 0, outcome.MessageId);
                break;
            case SendStatus.Delivered:
                logger.UserReceiptSent(
                    notification.NotificationId, notification.CheckoutRequestId, outcome.MigratedToChatId ?? notification.ChatId ?? 0, outcome.MessageId);
                break;
            case SendStatus.Uncertain:
                logger.NotificationUncertain(kind, notification.NotificationId, notification.CheckoutRequestId, outcome.Detail);
                break;
            case SendStatus.Waiting:
                break;
            case SendStatus.FailedPermanently:
                logger.NotificationFailed(kind, notification.NotificationId, notification.CheckoutRequestId, PhoneNumbers.Mask(notification.PhoneNumber), outcome.Detail);
                break;
            default:
                logger.NotificationDeferred(kind, notification.NotificationId, notification.CheckoutRequestId, outcome.RetryAfterSeconds, outcome.Detail);
                break;
        }
    }
}
