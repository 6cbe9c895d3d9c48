namespace MpesaAspire.NotificationService.Telegram;

/// <summary>The result of one send, as the caller needs it to settle its outbox row.</summary>
/// <param name="Status">Delivered, failed for good, or retry later.</param>
/// <param name="RetryAfterSeconds">For <see cref="SendStatus.Retry"/>: when to try again.</param>
/// <param name="Detail">Telegram's description, or what went wrong.</param>
/// <param name="MessageId">Telegram's message id when delivered (0 in dry-run).</param>
/// <param name="MigratedToChatId">The chat the message finally went to when the original one became a supergroup.</param>
/// <param name="DryRun">True when the message was only rendered and logged.</param>
internal sealed record SendOutcome(
    SendStatus Status,
    int RetryAfterSeconds,
    string Detail,
    long MessageId,
    long? MigratedToChatId,
    bool DryRun)
{
    public static SendOutcome Delivered(long messageId, long? migratedToChatId, string detail = "") =>
        new(SendStatus.Delivered, 0, detail, messageId, migratedToChatId, DryRun: false);

    public static SendOutcome RenderedOnly() =>
        new(SendStatus.Delivered, 0, "dry-run: rendered and logged, not sent", 0, null, DryRun: true);

    public static SendOutcome FailedPermanently(string detail, long? migratedToChatId = null) =>
        new(SendStatus.FailedPermanently, 0, detail, 0, migratedToChatId, DryRun: false);

    public static SendOutcome Uncertain(string detail, long? migratedToChatId = null) =>
        new(SendStatus.Uncertain, 0, detail, 0, migratedToChatId, DryRun: false);

    /// <summary>Not attempted (no admin chat yet, or the chat's slot is further away than the hold bound): back in the queue, not an attempt.</summary>
    public static SendOutcome Waiting(int retryAfterSeconds, string detail, long? migratedToChatId = null) =>
        new(SendStatus.Waiting, Math.Max(1, retryAfterSeconds), detail, 0, migratedToChatId, DryRun: false);

    public static SendOutcome Retry(int retryAfterSeconds, string detail, long? migratedToChatId = null) =>
        new(SendStatus.Retry, Math.Max(1, retryAfterSeconds), detail, 0, migratedToChatId, DryRun: false);
}
