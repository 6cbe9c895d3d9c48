using MpesaAspire.TransactionService.Domain;

namespace MpesaAspire.TransactionService.Data;

/// <summary>A <c>transactions</c> row as Dapper reads it (columns aliased to these names by <see cref="SelectColumns"/>).</summary>
public sealed class TransactionRow
{
    public const string SelectColumns = """
        SELECT id AS Id, checkout_request_id AS CheckoutRequestId, merchant_request_id AS MerchantRequestId,
               status AS Status, result_code AS ResultCode, result_code_raw AS ResultCodeRaw, result_desc AS ResultDesc,
               amount AS Amount, requested_amount AS RequestedAmount, mpesa_receipt_number AS MpesaReceiptNumber,
               phone_number AS PhoneNumber, transaction_date AS TransactionDate, account_reference AS AccountReference,
               telegram_chat_id AS TelegramChatId, created_at AS CreatedAt, updated_at AS UpdatedAt, completed_at AS CompletedAt,
               verification_reason AS VerificationReason, amount_mismatch AS AmountMismatch, held_success AS HeldSuccess, held_at AS HeldAt
        FROM transactions
        """;

    public long Id { get; set; }

    public string CheckoutRequestId { get; set; } = "";

    public string MerchantRequestId { get; set; } = "";

    /// <summary>NULL in rows of the original server that never set it: read as Pending.</summary>
    public string? Status { get; set; }

    public int? ResultCode { get; set; }

    public string? ResultCodeRaw { get; set; }

    public string? ResultDesc { get; set; }

    public decimal? Amount { get; set; }

    public decimal? RequestedAmount { get; set; }

    public string? MpesaReceiptNumber { get; set; }

    public string? PhoneNumber { get; set; }

    public DateTime? TransactionDate { get; set; }

    public string? AccountReference { get; set; }

    public long? TelegramChatId { get; set; }

    public DateTime? CreatedAt { get; set; }

    public DateTime? UpdatedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public string? VerificationReason { get; set; }

    public bool AmountMismatch { get; set; }

    /// <summary>JSON of the success awaiting confirmation by STK Push Query; null when none is held.</summary>
    public string? HeldSuccess { get; set; }

    public DateTime? HeldAt { get; set; }

    public PaymentStatus PaymentStatus =>
        Enum.TryParse<PaymentStatus>(Status, ignoreCase: true, out var status) ? status : PaymentStatus.Pending;

    /// <summary>The raw code; for rows written by the original server, the numeric one.</summary>
    public string? RawResultCode => ResultCodeRaw ?? ResultCode?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public TransactionRecord ToRecord() => new()
    {
        Id = Id,
        CheckoutRequestId = CheckoutRequestId,
        MerchantRequestId = MerchantRequestId,
        Status = PaymentStatus,
        ResultCode = RawResultCode,
        ResultDesc = ResultDesc,
        Amount = Amount,
        RequestedAmount = RequestedAmount,
        MpesaReceiptNumber = MpesaReceiptNumber,
        PhoneNumber = PhoneNumber,
        TransactionDate = TransactionDate is { } date ? DateTime.SpecifyKind(date, DateTimeKind.Unspecified) : null,
        AccountReference = AccountReference,
        TelegramChatId = TelegramChatId,
        CreatedAt = DbTime.AsUtc(CreatedAt),
        UpdatedAt = DbTime.AsUtc(UpdatedAt),
        CompletedAt = DbTime.AsUtc(CompletedAt),
        VerificationReason = VerificationReason,
        AmountMismatch = AmountMismatch,
        AwaitingQuery = HeldSuccess is not null,
    };
}
