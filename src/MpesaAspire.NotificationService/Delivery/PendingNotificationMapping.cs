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
        if (pending.Kind is not (NotificationKind.AdminSuccess or NotificationKind.AdminFailure or NotificationKind.UserReceipt
            or NotificationKind.AdminUnverified or NotificationKind.AdminConflict))
        {
            problem = $"unknown notification kind {pending.Kind}";
            return false;
        }

        if (pending.Kind == NotificationKind.UserReceipt && (!pending.HasChatId || pending.ChatId == 0))
        {
            problem = "no chat to send the receipt to";
            return false;
        }

        if (!TryParseAmount(pending.Amount, "amount", out var amount, ref problem)
            || !TryParseAmount(pending.RequestedAmount, "requested_amount", out var requested, ref problem))
        {
            return false;
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
            pending.Date,
            pending.Detail,
            requested,
            pending.AmountMismatch);
        return true;
    }

    private static bool TryParseAmount(string text, string field, out decimal? amount, ref string problem)
    {
        amount = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!Amounts.TryParse(text, out var parsed))
        {
            problem = $"{field} \"{text}\" is not a decimal number";
            return false;
        }

        amount = parsed;
        return true;
    }
}
