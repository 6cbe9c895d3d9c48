using MpesaAspire.TransactionService.Domain;

namespace MpesaAspire.TransactionService.Data;

/// <summary>A <c>notification_outbox</c> row joined with the transaction fields that render it.</summary>
public sealed class OutboxRow
{
    public const string SelectColumns = """
        SELECT o.id AS Id, o.kind AS Kind, o.chat_id AS ChatId, o.attempts AS Attempts, o.created_at AS QueuedAt,
               o.status AS Status, o.last_error AS LastError, o.trace_parent AS TraceParent,
               t.checkout_request_id AS CheckoutRequestId, t.amount AS Amount, t.phone_number AS PhoneNumber,
               t.mpesa_receipt_number AS MpesaReceiptNumber, t.result_desc AS Reason, t.transaction_date AS TransactionDate,
               t.completed_at AS CompletedAt, t.created_at AS TransactionCreatedAt,
               o.detail AS Detail, t.requested_amount AS RequestedAmount, t.amount_mismatch AS AmountMismatch
        FROM notification_outbox o
        JOIN transactions t ON t.id = o.transaction_id
        """;

    public long Id { get; set; }

    public string Kind { get; set; } = "";

    public long? ChatId { get; set; }

    public int Attempts { get; set; }

    public DateTime QueuedAt { get; set; }

    public string Status { get; set; } = "";

    public string? LastError { get; set; }

    public string? TraceParent { get; set; }

    public string CheckoutRequestId { get; set; } = "";

    public decimal? Amount { get; set; }

    public string? PhoneNumber { get; set; }

    public string? MpesaReceiptNumber { get; set; }

    public string? Reason { get; set; }

    public DateTime? TransactionDate { get; set; }

    public DateTime? CompletedAt { get; set; }

    public DateTime? TransactionCreatedAt { get; set; }

    public string? Detail { get; set; }

    public decimal? RequestedAmount { get; set; }

    public bool AmountMismatch { get; set; }

    public OutboxNotification ToNotification() => new()
    {
        Id = Id,
        Kind = Enum.Parse<OutboxKind>(Kind),
        ChatId = ChatId,
        CheckoutRequestId = CheckoutRequestId,
        Amount = Amount,
        PhoneNumber = PhoneNumber,
        MpesaReceiptNumber = MpesaReceiptNumber,
        Reason = Reason,
        // The M-Pesa date, else when the result came in (rows of the original server: when they were created).
        Date = KenyanTime.NotificationDate(TransactionDate, CompletedAt ?? TransactionCreatedAt),
        Attempts = Attempts,
        QueuedAt = DateTime.SpecifyKind(QueuedAt, DateTimeKind.Utc),
        Status = Enum.Parse<OutboxStatus>(Status),
        LastError = LastError,
        TraceParent = TraceParent,
        Detail = Detail,
        RequestedAmount = RequestedAmount,
        AmountMismatch = AmountMismatch,
    };
}
