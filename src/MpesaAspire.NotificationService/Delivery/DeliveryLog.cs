namespace MpesaAspire.NotificationService.Delivery;

/// <summary>
/// Log messages of the outbox delivery loop. Event ids 3350–3449 and 3451–3599 (3300–3349 and
/// 3450: sends with an unknown outcome, in <c>TelegramLog</c>). Phone numbers are masked; the bot token never appears.
/// </summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 3350, Level = LogLevel.Warning,
        Message = "Transaction service unreachable for the outbox ({StatusCode}: {Detail}); next try in {Delay}")]
    public static partial void OutboxUnreachable(this ILogger logger, string statusCode, string detail, TimeSpan delay);

    [LoggerMessage(EventId = 3351, Level = LogLevel.Debug,
        Message = "Transaction service still unreachable for the outbox (attempt {Attempt}, {StatusCode}); next try in {Delay}")]
    public static partial void OutboxStillUnreachable(this ILogger logger, int attempt, string statusCode, TimeSpan delay);

    [LoggerMessage(EventId = 3352, Level = LogLevel.Debug, Message = "Leased {Count} notification(s) for delivery")]
    public static partial void NotificationsLeased(this ILogger logger, int count);

    [LoggerMessage(EventId = 3353, Level = LogLevel.Warning,
        Message = "Notification {NotificationId} for {CheckoutRequestId} can never be sent as queued: {Problem}")]
    public static partial void NotificationUnsendable(this ILogger logger, long notificationId, string checkoutRequestId, string problem);

    [LoggerMessage(EventId = 3354, Level = LogLevel.Warning,
        Message = "The outcome of notification {NotificationId} ({Result}) could not be recorded ({Error}); {Consequence}")]
    public static partial void CompletionFailed(this ILogger logger, long notificationId, string result, string error, string consequence);

    [LoggerMessage(EventId = 3355, Level = LogLevel.Information,
        Message = "The outcome of notification {NotificationId} was not recorded: another holder has its lease now")]
    public static partial void CompletionNotApplied(this ILogger logger, long notificationId);

    [LoggerMessage(EventId = 3356, Level = LogLevel.Warning,
        Message = "User receipt {NotificationId} for {CheckoutRequestId} (phone {MaskedPhone}) is uncertain: it may or may not have reached the payer and is not resent automatically. Resend it with the dashboard command on notification-service once checked")]
    public static partial void ReceiptUncertain(this ILogger logger, long notificationId, string checkoutRequestId, string maskedPhone);

    [LoggerMessage(EventId = 3357, Level = LogLevel.Warning, Message = "Telling the admin about uncertain receipt {NotificationId} failed: {Detail}")]
    public static partial void UncertainAlertFailed(this ILogger logger, long notificationId, string detail);

    [LoggerMessage(EventId = 3358, Level = LogLevel.Error, Message = "Delivering notification {NotificationId} failed unexpectedly")]
    public static partial void DeliveryCrashed(this ILogger logger, Exception exception, long notificationId);

    [LoggerMessage(EventId = 3359, Level = LogLevel.Debug, Message = "Counting uncertain and dead-lettered notifications failed: {Detail}")]
    public static partial void CountFailed(this ILogger logger, string detail);

    [LoggerMessage(EventId = 3360, Level = LogLevel.Information, Message = "Transaction service reachable again for the outbox")]
    public static partial void OutboxReachableAgain(this ILogger logger);

    [LoggerMessage(EventId = 3451, Level = LogLevel.Information, Message = "This instance ({Holder}) is the active Telegram sender")]
    public static partial void SenderActive(this ILogger logger, string holder);

    [LoggerMessage(EventId = 3452, Level = LogLevel.Warning, Message = "This instance ({Holder}) is no longer the active Telegram sender: it stops taking notifications")]
    public static partial void SenderNoLongerActive(this ILogger logger, string holder);

    [LoggerMessage(EventId = 3453, Level = LogLevel.Information, Message = "Standing by: {Holder} is the active Telegram sender")]
    public static partial void SenderStandingBy(this ILogger logger, string holder);

    [LoggerMessage(EventId = 3454, Level = LogLevel.Warning, Message = "The sender lease could not be asked for ({Detail}): sending only while the lease held can still be valid")]
    public static partial void SenderLeaseUnknown(this ILogger logger, string detail);
}
