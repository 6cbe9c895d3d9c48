
namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// The notification service's log messages. Event ids: 3000–3049 delivery, 3050–3099 Telegram's
/// refusals and outages, 3100–3149 the bot's status, 3300–3349 sends with an unknown outcome
/// (3350–3499: the outbox delivery loop, in <c>DeliveryLog</c>). Phone numbers are masked; the token never appears.
/// </summary>
internal static partial class TelegramLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information,
        Message = "Admin notification sent: notification {NotificationId} for {CheckoutRequestId} to chat {ChatId} as message {MessageId}")]
    public static partial void AdminNotificationSent(this ILogger logger, long notificationId, string checkoutRequestId, long chatId, long messageId);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "User receipt sent: notification {NotificationId} for {CheckoutRequestId} to chat {ChatId} as message {MessageId}")]
    public static partial void UserReceiptSent(this ILogger logger, long notificationId, string checkoutRequestId, long chatId, long messageId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information,
        Message = "Admin digest sent: {Count} payment updates to chat {ChatId} as message {MessageId}")]
    public static partial void AdminDigestSent(this ILogger logger, int count, long chatId, long messageId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information,
        Message = "Dry-run (no bot token): {Kind} notification {NotificationId} for chat {ChatId} rendered, not sent:\n{Text}")]
    public static partial void DryRunRendered(this ILogger logger, string kind, long notificationId, string chatId, string text);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information,
        Message = "Notification {NotificationId} was already delivered as message {MessageId}: not sent again")]
    public static partial void AlreadyDelivered(this ILogger logger, long notificationId, long messageId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning,
        Message = "{Kind} notification {NotificationId} for {CheckoutRequestId} (phone {MaskedPhone}) failed permanently: {Detail}")]
    public static partial void NotificationFailed(this ILogger logger, string kind, long notificationId, string checkoutRequestId, string maskedPhone, string detail);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information,
        Message = "{Kind} notification {NotificationId} for {CheckoutRequestId} deferred: retry after {RetryAfterSeconds} s ({Detail})")]
    public static partial void NotificationDeferred(this ILogger logger, string kind, long notificationId, string checkoutRequestId, int retryAfterSeconds, string detail);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning,
        Message = "{Kind} notification {NotificationId} for {CheckoutRequestId} waits: no admin chat configured (Telegram:AdminChatId)")]
    public static partial void NoAdminChat(this ILogger logger, string kind, long notificationId, string checkoutRequestId);

    [LoggerMessage(EventId = 3050, Level = LogLevel.Warning,
        Message = "Telegram flood control on chat {ChatId}: paused for {RetryAfterSeconds} s (whole bot: {WholeBot})")]
    public static partial void RateLimited(this ILogger logger, long chatId, int retryAfterSeconds, bool wholeBot);

    [LoggerMessage(EventId = 3051, Level = LogLevel.Debug,
        Message = "Chat {ChatId} has no free slot within the pacing bound: back to the outbox for {RetryAfterSeconds} s (not an attempt)")]
    public static partial void PacingBoundExceeded(this ILogger logger, long chatId, int retryAfterSeconds);

    [LoggerMessage(EventId = 3052, Level = LogLevel.Warning,
        Message = "Telegram refused chat {ChatId} for good ({ErrorCode}): {Description}")]
    public static partial void ChatRefused(this ILogger logger, long chatId, int errorCode, string description);

    [LoggerMessage(EventId = 3053, Level = LogLevel.Error,
        Message = "Telegram rejected a message we built for chat {ChatId} ({ErrorCode}): {Description}")]
    public static partial void MessageRejected(this ILogger logger, long chatId, int errorCode, string description);

    [LoggerMessage(EventId = 3054, Level = LogLevel.Information,
        Message = "Chat {ChatId} became supergroup {NewChatId}: sending there from now on")]
    public static partial void ChatMigrated(this ILogger logger, long chatId, long newChatId);

    [LoggerMessage(EventId = 3055, Level = LogLevel.Warning,
        Message = "Telegram unreachable or failing while sending to chat {ChatId}: {Reason}")]
    public static partial void TelegramUnavailable(this ILogger logger, long chatId, string reason);

    [LoggerMessage(EventId = 3056, Level = LogLevel.Error,
        Message = "Telegram refused the bot itself ({ErrorCode}: {Description}): check Telegram:BotToken and Telegram:ApiBaseUrl")]
    public static partial void BotRefused(this ILogger logger, int errorCode, string description);

    [LoggerMessage(EventId = 3057, Level = LogLevel.Error,
        Message = "Sending admin messages to chat {ChatId} failed unexpectedly")]
    public static partial void AdminQueueFailed(this ILogger logger, long chatId, Exception exception);

    [LoggerMessage(EventId = 3300, Level = LogLevel.Warning,
        Message = "Telegram did not answer a message to chat {ChatId} within {RequestTimeout}: it may have been delivered")]
    public static partial void TelegramDidNotAnswer(this ILogger logger, long chatId, TimeSpan requestTimeout);

    [LoggerMessage(EventId = 3450, Level = LogLevel.Warning,
        Message = "The connection to Telegram broke after a message to chat {ChatId} left ({Reason}): it may have been delivered")]
    public static partial void TelegramConnectionLost(this ILogger logger, long chatId, string reason);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning,
        Message = "{Kind} notification {NotificationId} for {CheckoutRequestId}: outcome unknown ({Detail})")]
    public static partial void NotificationUncertain(this ILogger logger, string kind, long notificationId, string checkoutRequestId, string detail);

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Telegram bot connected as @{Username}")]
    public static partial void BotConnected(this ILogger logger, string username);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Telegram bot status check failed: {Reason}")]
    public static partial void BotStatusFailed(this ILogger logger, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning,
        Message = "Telegram:BotToken is not configured: running in dry-run mode (messages are rendered and logged, not sent)")]
    public static partial void DryRunMode(this ILogger logger);
}
