namespace MpesaAspire.TransactionService.Diagnostics;

/// <summary>
/// Every log message of the transaction service. Event ids by area: 1000–1099 schema migrations,
/// 1100–1199 callbacks, 1200–1299 registrations and users, 1300–1399 notification outbox,
/// 1400–1499 database access, 5400–5499 notification delivery states, 5600–5649 the active sender lease. Phone numbers are passed masked (<c>2547****4149</c>).
/// </summary>
internal static partial class TransactionServiceLog
{
    // 1000–1099: schema migrations
    [LoggerMessage(1000, LogLevel.Information, "Applying database migrations (schema version {CurrentVersion}, latest {LatestVersion})")]
    public static partial void MigrationsStarting(ILogger logger, int currentVersion, int latestVersion);

    [LoggerMessage(1001, LogLevel.Information, "Applied migration {Version}: {Name}")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(1002, LogLevel.Information, "Database schema is at version {Version}")]
    public static partial void MigrationsCompleted(ILogger logger, int version);

    [LoggerMessage(1003, LogLevel.Warning, "Database not ready yet (attempt {Attempt}); retrying in {Delay}: {Error}")]
    public static partial void DatabaseNotReady(ILogger logger, int attempt, TimeSpan delay, string error);

    [LoggerMessage(1004, LogLevel.Critical, "Database migrations failed; the service cannot start")]
    public static partial void MigrationsFailed(ILogger logger, Exception exception);

    [LoggerMessage(1005, LogLevel.Information, "Migration step {Version}: {Step}")]
    public static partial void MigrationStepApplied(ILogger logger, int version, string step);

    // 1100–1199: callbacks
    [LoggerMessage(1100, LogLevel.Information, "Processing transaction {CheckoutRequestId} - Result: {ResultCode} ({Status})")]
    public static partial void ProcessingTransaction(ILogger logger, string checkoutRequestId, string resultCode, string status);

    [LoggerMessage(1101, LogLevel.Information, "Transaction {CheckoutRequestId} updated successfully")]
    public static partial void TransactionUpdated(ILogger logger, string checkoutRequestId);

    [LoggerMessage(1102, LogLevel.Information, "Transaction {CheckoutRequestId} already has this result: duplicate callback, nothing changed")]
    public static partial void DuplicateCallback(ILogger logger, string checkoutRequestId);

    [LoggerMessage(1103, LogLevel.Warning,
        "Transaction {CheckoutRequestId} is already {Status} (result {RecordedCode}) but a callback says {ResultCode}: kept in the inbox as a conflict, not applied")]
    public static partial void ConflictingCallback(ILogger logger, string checkoutRequestId, string status, string recordedCode, string resultCode);

    [LoggerMessage(1104, LogLevel.Information, "Queued {Count} notification(s) for transaction {CheckoutRequestId} (payer {Phone})")]
    public static partial void NotificationsQueued(ILogger logger, int count, string checkoutRequestId, string phone);

    [LoggerMessage(1105, LogLevel.Information, "No Telegram user is linked to transaction {CheckoutRequestId} or phone {Phone}: no receipt queued")]
    public static partial void NoPayerForReceipt(ILogger logger, string checkoutRequestId, string phone);

    [LoggerMessage(1106, LogLevel.Warning, "Transaction {CheckoutRequestId} was paid {PaidAmount} but {RequestedAmount} was requested")]
    public static partial void AmountMismatch(ILogger logger, string checkoutRequestId, string paidAmount, string requestedAmount);

    [LoggerMessage(1107, LogLevel.Warning, "Transaction {CheckoutRequestId} has an unreadable TransactionDate {TransactionDate}: stored as NULL, the raw payload keeps it")]
    public static partial void UnreadableTransactionDate(ILogger logger, string checkoutRequestId, string transactionDate);

    // 1200–1299: registrations and users
    [LoggerMessage(1200, LogLevel.Information, "Registered pending transaction {CheckoutRequestId} for {Phone}")]
    public static partial void PendingRegistered(ILogger logger, string checkoutRequestId, string phone);

    [LoggerMessage(1201, LogLevel.Information, "Transaction {CheckoutRequestId} already existed ({Status}): registration filled the missing fields only")]
    public static partial void RegistrationOfExistingTransaction(ILogger logger, string checkoutRequestId, string status);

    [LoggerMessage(1202, LogLevel.Information, "Transaction {CheckoutRequestId} was paid before it was registered: receipt queued for the registered chat")]
    public static partial void LateReceiptQueued(ILogger logger, string checkoutRequestId);

    [LoggerMessage(1210, LogLevel.Information, "Telegram user {UserId} {Action} (phone {Phone}, active {IsActive})")]
    public static partial void UserRegistered(ILogger logger, long userId, string action, string phone, bool isActive);

    // 5600–5649: the active sender lease
    [LoggerMessage(5600, LogLevel.Information, "Sender lease {Name} released by {Holder}: a standby takes over at once")]
    public static partial void SenderLeaseReleased(ILogger logger, string name, string holder);

    // 1300–1399: notification outbox
    [LoggerMessage(1300, LogLevel.Debug, "Leased {Count} notification(s) until {LeaseUntil:O}")]
    public static partial void NotificationsLeased(ILogger logger, int count, DateTime leaseUntil);

    [LoggerMessage(1301, LogLevel.Information, "Notification {NotificationId} ({Kind}) delivered after {Attempts} attempt(s)")]
    public static partial void NotificationDelivered(ILogger logger, long notificationId, string kind, int attempts);

    [LoggerMessage(1302, LogLevel.Warning, "Notification {NotificationId} ({Kind}) failed for good after {Attempts} attempt(s): {Detail}")]
    public static partial void NotificationFailed(ILogger logger, long notificationId, string kind, int attempts, string detail);

    [LoggerMessage(1303, LogLevel.Information, "Notification {NotificationId} ({Kind}) will be retried at {NextAttemptAt:O} (attempt {Attempts}): {Detail}")]
    public static partial void NotificationRetryScheduled(ILogger logger, long notificationId, string kind, DateTime nextAttemptAt, int attempts, string detail);

    [LoggerMessage(1304, LogLevel.Information, "Notification {NotificationId}: chat moved, now delivered to the migrated chat")]
    public static partial void ChatMigrated(ILogger logger, long notificationId);

    [LoggerMessage(1305, LogLevel.Information, "Completion of notification {NotificationId} ignored: it is already {Status}")]
    public static partial void CompletionIgnored(ILogger logger, long notificationId, string status);

    // 1400–1499: database access
    [LoggerMessage(1400, LogLevel.Warning, "{Operation} met MySQL error {ErrorCode} (attempt {Attempt} of {MaxAttempts}); retrying the whole transaction")]
    public static partial void TransientRetry(ILogger logger, string operation, int errorCode, int attempt, int maxAttempts);

    [LoggerMessage(1401, LogLevel.Error, "{Method} failed: the database did not complete the request")]
    public static partial void DatabaseCallFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(1402, LogLevel.Warning, "Database check failed: {Error}")]
    public static partial void DatabaseCheckFailed(ILogger logger, string error);

    // 5400–5499: notification delivery states (lease tokens, sending, uncertain, dead letters, operator actions)
    [LoggerMessage(5400, LogLevel.Warning,
        "User receipt {NotificationId} for {CheckoutRequestId} was being sent when its holder stopped reporting: marked uncertain, not resent automatically")]
    public static partial void NotificationUncertain(ILogger logger, long notificationId, string checkoutRequestId);

    [LoggerMessage(5401, LogLevel.Warning, "Notification {NotificationId} ({Kind}) reported uncertain: {Detail}")]
    public static partial void NotificationReportedUncertain(ILogger logger, long notificationId, string kind, string detail);

    [LoggerMessage(5402, LogLevel.Information, "Notification {NotificationId}: send not started, the caller does not hold its lease")]
    public static partial void SendingRefused(ILogger logger, long notificationId);

    [LoggerMessage(5403, LogLevel.Information, "Completion of notification {NotificationId} ({Status}) ignored: the caller does not hold its current lease")]
    public static partial void CompletionWithoutLease(ILogger logger, long notificationId, string status);

    [LoggerMessage(5404, LogLevel.Warning,
        "Notification {NotificationId} ({Kind}) kept failing for more than {MaxRetryAge} ({Attempts} attempts): moved to the dead letters. Last error: {Detail}")]
    public static partial void NotificationDeadLettered(ILogger logger, long notificationId, string kind, int attempts, TimeSpan maxRetryAge, string detail);

    [LoggerMessage(5405, LogLevel.Information, "Notification {NotificationId} ({Kind}) was {Status}: queued again by an operator")]
    public static partial void NotificationRequeued(ILogger logger, long notificationId, string kind, string status);
}
