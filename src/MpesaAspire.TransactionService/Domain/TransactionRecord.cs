namespace MpesaAspire.TransactionService.Domain;

/// <summary>One row of <c>transactions</c>.</summary>
public sealed record TransactionRecord
{
    public required long Id { get; init; }

    public required string CheckoutRequestId { get; init; }

    public required string MerchantRequestId { get; init; }

    public required PaymentStatus Status { get; init; }

    /// <summary>The raw result code ("0", "1032", "SFC_IC0003"); null while pending.</summary>
    public string? ResultCode { get; init; }

    public string? ResultDesc { get; init; }

    public decimal? Amount { get; init; }

    public decimal? RequestedAmount { get; init; }

    public string? MpesaReceiptNumber { get; init; }

    public string? PhoneNumber { get; init; }

    /// <summary>M-Pesa's transaction date: Kenyan local time (EAT), as received.</summary>
    public DateTime? TransactionDate { get; init; }

    public string? AccountReference { get; init; }

    public long? TelegramChatId { get; init; }

    public DateTime? CreatedAt { get; init; }

    public DateTime? UpdatedAt { get; init; }

    /// <summary>When the final result was received (UTC).</summary>
    public DateTime? CompletedAt { get; init; }

    /// <summary>Why a success is Unverified, or why a held success was refuted; null otherwise.</summary>
    public string? VerificationReason { get; init; }

    /// <summary>The amount paid differs from the amount requested.</summary>
    public bool AmountMismatch { get; init; }

    /// <summary>A success callback waits for STK Push Query to confirm it.</summary>
    public bool AwaitingQuery { get; init; }
}
