using System.Text.Json;

namespace MpesaAspire.TransactionService.Domain;

/// <summary>
/// A success callback kept on its payment (<c>transactions.held_success</c>, JSON) until STK Push Query
/// confirms or refutes it. Its raw body stays in the inbox; <see cref="PayloadSha256"/> finds it there.
/// </summary>
public sealed record HeldSuccess
{
    public required string MerchantRequestId { get; init; }

    public required string ResultCode { get; init; }

    public string? ResultDesc { get; init; }

    public decimal? Amount { get; init; }

    public string? MpesaReceiptNumber { get; init; }

    public string? TransactionDateText { get; init; }

    public DateTime? TransactionDate { get; init; }

    public string? PhoneNumber { get; init; }

    public DateTimeOffset? ReceivedAt { get; init; }

    public required string PayloadSha256 { get; init; }

    public static HeldSuccess From(StkCallback callback, string payloadSha256) => new()
    {
        MerchantRequestId = callback.MerchantRequestId,
        ResultCode = callback.ResultCode,
        ResultDesc = callback.ResultDesc,
        Amount = callback.Amount,
        MpesaReceiptNumber = callback.MpesaReceiptNumber,
        TransactionDateText = callback.TransactionDateText,
        TransactionDate = callback.TransactionDate,
        PhoneNumber = callback.PhoneNumber,
        ReceivedAt = callback.ReceivedAt,
        PayloadSha256 = payloadSha256,
    };

    public static HeldSuccess? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<HeldSuccess>(json);

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The held callback again, to apply it (its raw body is in the inbox already).</summary>
    public StkCallback ToCallback(string checkoutRequestId) => new()
    {
        CheckoutRequestId = checkoutRequestId,
        MerchantRequestId = MerchantRequestId,
        RawPayload = "",
        ResultCode = ResultCode,
        ResultDesc = ResultDesc,
        Amount = Amount,
        MpesaReceiptNumber = MpesaReceiptNumber,
        TransactionDateText = TransactionDateText,
        TransactionDate = TransactionDate,
        PhoneNumber = PhoneNumber,
        ReceivedAt = ReceivedAt,
    };
}
