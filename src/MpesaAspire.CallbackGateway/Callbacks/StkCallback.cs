namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>What the gateway reads from one STK Push result callback.</summary>
/// <param name="CheckoutRequestId">Body.stkCallback.CheckoutRequestID, never empty.</param>
/// <param name="MerchantRequestId">Body.stkCallback.MerchantRequestID, when sent.</param>
/// <param name="ResultCode">The code as sent: "0", "1032", or a string code such as "SFC_IC0003".</param>
/// <param name="ResultDesc">The description as sent (prefixes such as "[STK_CB - ]" kept), when sent.</param>
/// <param name="Amount">The Amount item, with the scale it was written with (1, 1.00, 10500.00).</param>
/// <param name="MpesaReceiptNumber">The MpesaReceiptNumber item.</param>
/// <param name="TransactionDate">The TransactionDate item, yyyyMMddHHmmss in Kenyan local time.</param>
/// <param name="PhoneNumber">The PhoneNumber item, e.g. 254708374149.</param>
/// <param name="Anomalies">Values present but unreadable and therefore ignored, described without their content.</param>
public sealed record StkCallback(
    string CheckoutRequestId,
    string? MerchantRequestId,
    string ResultCode,
    string? ResultDesc,
    decimal? Amount,
    string? MpesaReceiptNumber,
    long? TransactionDate,
    long? PhoneNumber,
    IReadOnlyList<string> Anomalies)
{
    /// <summary>Success, Cancelled or Failed, by the one <see cref="StatusMapping"/> the transaction service stores too.</summary>
    public PaymentStatus Status => StatusMapping.FromResultCode(ResultCode);
}
