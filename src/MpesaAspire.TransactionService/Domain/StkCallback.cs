namespace MpesaAspire.TransactionService.Domain;

/// <summary>One STK Push result callback, as the gateway parsed it, with the raw body kept for audit.</summary>
public sealed record StkCallback
{
    public required string CheckoutRequestId { get; init; }

    /// <summary>Empty when the callback had none.</summary>
    public required string MerchantRequestId { get; init; }

    public required string RawPayload { get; init; }

    /// <summary>ResultCode as sent: "0", "1032", or a string code such as "SFC_IC0003".</summary>
    public required string ResultCode { get; init; }

    public string? ResultDesc { get; init; }

    public decimal? Amount { get; init; }

    public string? MpesaReceiptNumber { get; init; }

    /// <summary>TransactionDate as sent (yyyyMMddHHmmss), kept to tell an unparsable date from a missing one.</summary>
    public string? TransactionDateText { get; init; }

    /// <summary>TransactionDate parsed: Kenyan local time (EAT), not UTC. Null when missing or unparsable.</summary>
    public DateTime? TransactionDate { get; init; }

    /// <summary>PhoneNumber as sent, e.g. "254708374149".</summary>
    public string? PhoneNumber { get; init; }

    /// <summary>When the gateway received it; null means now.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>
    /// True for an STK Push Query answer recorded like a callback: Safaricom's own answer to our
    /// question, so it confirms or refutes a held success instead of being verified itself.
    /// </summary>
    public bool FromQuery { get; init; }

    public PaymentStatus Status => StatusMapping.FromResultCode(ResultCode);
}
