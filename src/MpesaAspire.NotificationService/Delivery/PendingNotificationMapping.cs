using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.NotificationService.Delivery;

/// <summary>An outbox notification (transaction.proto's <c>PendingNotification</c>) as the message to send.</summary>
internal static class PendingNotificationMapping
{
    /// <summary>False, with the reason, when it can never be sent as queued.</summary>
    public static bool TryMap(PendingNotification pending, out PaymentNotification notification, out string problem)
    {
        ArgumentNullException.ThrowIfNull(pending);
        notification = null!;
        problem = "";
        if (pending.Kind is not (NotificationKind.AdminSuccess or NotificationKind.AdminFailure or NotificationKind.UserReceipt))
        {
            problem = $"unknown notification kind {pending.Kind}";
            return false;
        }

        if (pending.Kind == NotificationKind.UserReceipt && (!pending.HasChatId || pending.ChatId == 0))
        {
            problem = "no chat to send the receipt to";
            return false;
        }

        decimal? amount = null;
        if (!string.IsNullOrWhiteSpace(pending.Amount))
        {
            if (!Amounts.TryParse(pending.Amount, out var parsed))
            {
                problem = $"amount \"{pending.Amount}\" is not a decimal number";
                return false;
            }

            amount = parsed;
        }

        notification = new PaymentNotification(
            pending.NotificationId,
            pending.Kind,
            pending.HasChatId ? pending.ChatId : null,
            pending.CheckoutRequestId,
            amount,
            pending.PhoneNumber,
            pending.MpesaReceiptNumber,
            pending.Reason,
            pending.Date);
        return true;
    }
}
