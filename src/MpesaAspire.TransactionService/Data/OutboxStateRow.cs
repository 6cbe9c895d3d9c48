namespace MpesaAspire.TransactionService.Data;

/// <summary>The delivery state of one <c>notification_outbox</c> row.</summary>
public sealed class OutboxStateRow
{
    public long Id { get; set; }

    public long TransactionId { get; set; }

    public string Kind { get; set; } = "";

    public long? ChatId { get; set; }

    public string Status { get; set; } = "";

    public int Attempts { get; set; }

    public string? LeaseToken { get; set; }

    /// <summary>When it last entered the queue (UTC).</summary>
    public DateTime ArmedAt { get; set; }
}
