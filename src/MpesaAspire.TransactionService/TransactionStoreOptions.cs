namespace MpesaAspire.TransactionService;

/// <summary>Tuning of the transaction store, section <c>TransactionStore</c>. The defaults suit production.</summary>
public sealed class TransactionStoreOptions
{
    public const string SectionName = "TransactionStore";

    /// <summary>How long start-up keeps retrying while MySQL is not ready yet before giving up.</summary>
    public TimeSpan MigrationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a notification may keep failing (counted from when it was queued or re-armed) before it
    /// leaves the queue as a dead letter.
    /// </summary>
    public TimeSpan NotificationMaxRetryAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>First delay before retrying a notification whose delivery failed; doubles with each attempt.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of that backoff (Telegram's own retry_after may still ask for longer).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Notifications due for less than this long are fresh: a lease takes them first, newest first, so a
    /// new payment's messages never queue behind an old backlog. The backlog, oldest first, fills the
    /// rest of each lease and always keeps a quarter of it.
    /// </summary>
    public TimeSpan FreshNotificationAge { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts of one database transaction that meets deadlocks, lock wait timeouts or duplicate-key races.</summary>
    public int MaxTransactionAttempts { get; set; } = 8;
}
