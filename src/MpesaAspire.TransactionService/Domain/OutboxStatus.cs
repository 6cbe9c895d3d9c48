namespace MpesaAspire.TransactionService.Domain;

/// <summary>Where a notification is in its delivery (stored verbatim in <c>notification_outbox.status</c>).</summary>
public enum OutboxStatus
{
    /// <summary>In the queue, due at <c>next_attempt_at</c>.</summary>
    Pending,

    /// <summary>A send to Telegram has started under the current lease; no outcome yet.</summary>
    Sending,

    Delivered,

    /// <summary>Telegram refused it for good.</summary>
    Failed,

    /// <summary>A receipt whose send outcome is unknown: never resent without an operator.</summary>
    Uncertain,

    /// <summary>Rendered and logged in dry-run mode, never sent.</summary>
    DryRun,

    /// <summary>Kept failing longer than the retry age: out of the queue until re-armed.</summary>
    DeadLetter,
}
