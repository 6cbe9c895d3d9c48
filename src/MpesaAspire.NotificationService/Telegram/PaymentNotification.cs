namespace MpesaAspire.NotificationService.Telegram;

/// <summary>One payment message to deliver, with the values it shows (as received, not yet escaped).</summary>
/// <param name="NotificationId">The caller's outbox id: the idempotency key.</param>
/// <param name="Kind">Which message to send.</param>
/// <param name="ChatId">The payer's chat for receipts; null for admin messages.</param>
/// <param name="CheckoutRequestId">Daraja's CheckoutRequestID.</param>
/// <param name="Amount">The amount in KES, or null when unknown.</param>
/// <param name="PhoneNumber">The paying phone number as received.</param>
/// <param name="MpesaReceiptNumber">The M-Pesa receipt number.</param>
/// <param name="Reason">The failure reason (Daraja's ResultDesc).</param>
/// <param name="Date">The payment date, yyyy-MM-dd HH:mm:ss.</param>
/// <param name="Detail">What a warning shows: why a success is unverified, what a conflicting result said.</param>
/// <param name="RequestedAmount">The amount requested, when known.</param>
/// <param name="AmountMismatch">The amount paid differs from the amount requested.</param>
internal sealed record PaymentNotification(
    long NotificationId,
    NotificationKind Kind,
    long? ChatId,
    string CheckoutRequestId,
    decimal? Amount,
    string PhoneNumber,
    string MpesaReceiptNumber,
    string Reason,
    string Date,
    string Detail = "",
    decimal? RequestedAmount = null,
    bool AmountMismatch = false)
{
    public bool IsAdmin => Kind is not NotificationKind.UserReceipt;
}
