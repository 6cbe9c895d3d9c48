namespace MpesaAspire.TransactionService.Domain;

/// <summary>A notification in the outbox, with the transaction fields needed to render it.</summary>
public sealed record OutboxNotification
{
    public required long Id { get; init; }

    public required OutboxKind Kind { get; init; }

    /// <summary>The recipient chat; null for admin notifications (the admin chat is configured in the notification service).</summary>
    public long? ChatId { get; init; }

    public required string CheckoutRequestId { get; init; }

    public decimal? Amount { get; init; }

    public string? PhoneNumber { get; init; }

    public string? MpesaReceiptNumber { get; init; }

    /// <summary>ResultDesc of the transaction.</summary>
    public string? Reason { get; init; }

    /// <summary>yyyy-MM-dd HH:mm:ss in Kenyan time: the M-Pesa date, else when the callback was received.</summary>
    public required string Date { get; init; }

    public required int Attempts { get; init; }

    public required DateTime QueuedAt { get; init; }

    public OutboxStatus Status { get; init; }

    /// <summary>The last error or refusal recorded, for the operator.</summary>
    public string? LastError { get; init; }

    /// <summary>W3C traceparent of the change that queued it.</summary>
    public string? TraceParent { get; init; }

    /// <summary>What a warning shows besides the payment: why it is unverified, what the conflicting result said.</summary>
    public string? Detail { get; init; }

    public decimal? RequestedAmount { get; init; }

    /// <summary>The amount paid differs from the amount requested: the admin's message says so.</summary>
    public bool AmountMismatch { get; init; }
}
