namespace MpesaAspire.NotificationService;

/// <summary>
/// The <c>Telegram</c> section: the bot, the admin chat and the pace the bot keeps. Without a bot
/// token the service runs in dry-run mode (renders and logs every message, sends nothing).
/// </summary>
public sealed class TelegramOptions
{
    public const string SectionName = "Telegram";

    /// <summary>The Bot API endpoint used when <see cref="ApiBaseUrl"/> is not set.</summary>
    public const string DefaultApiBaseUrl = "https://api.telegram.org";

    /// <summary><c>Telegram:BotToken</c>, a secret from @BotFather. Absent or empty: dry-run mode.</summary>
    public string? BotToken { get; set; }

    /// <summary><c>Telegram:AdminChatId</c>: where admin notifications go (negative for groups).</summary>
    public long? AdminChatId { get; set; }

    /// <summary><c>Telegram:ApiBaseUrl</c>: the Bot API server (tests point it at a local fake).</summary>
    public string? ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>
    /// <c>Telegram:DigestThreshold</c>: how many admin messages must be waiting for the admin chat's
    /// next slot before they go out as one digest instead of one message each.
    /// </summary>
    public int DigestThreshold { get; set; } = 3;

    /// <summary>
    /// <c>Telegram:MaxPacingWait</c>: the longest a message is held in memory waiting for its chat's
    /// slot. A slot further away is not waited for: the notification goes back to the outbox until
    /// then (not counted as an attempt), so a busy chat never keeps other chats' messages waiting.
    /// </summary>
    public TimeSpan MaxPacingWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary><c>Telegram:PerChatInterval</c>: the gap between two messages to one chat.</summary>
    public TimeSpan PerChatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>Telegram:GroupMessagesPerMinute</c>: Telegram's limit for one group chat.</summary>
    public int GroupMessagesPerMinute { get; set; } = 20;

    /// <summary>
    /// <c>Telegram:MessagesPerSecond</c>: the bot's overall limit across distinct chats (Telegram allows
    /// about 30 per second). With replicas it holds across them: only the active sender sends.
    /// </summary>
    public int MessagesPerSecond { get; set; } = 30;

    /// <summary><c>Telegram:TransientRetryAfterSeconds</c>: the retry hint after a network error, timeout or 5xx.</summary>
    public int TransientRetryAfterSeconds { get; set; } = 5;

    /// <summary><c>Telegram:MisconfiguredRetryAfterSeconds</c>: the retry hint while Telegram refuses the bot itself (401/404).</summary>
    public int MisconfiguredRetryAfterSeconds { get; set; } = 60;

    /// <summary><c>Telegram:RequestTimeout</c>: how long one Bot API call may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary><c>Telegram:StatusRefreshInterval</c>: how often getMe refreshes the cached bot status.</summary>
    public TimeSpan StatusRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>Telegram:StatusRetryInterval</c>: how soon getMe is tried again after it failed.</summary>
    public TimeSpan StatusRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Telegram:DeliveredMemorySize</c>: how many delivered notification ids are remembered.</summary>
    public int DeliveredMemorySize { get; set; } = 10_000;

    /// <summary><c>Telegram:DeliveredMemoryAge</c>: how long a delivered notification id is remembered.</summary>
    public TimeSpan DeliveredMemoryAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>True when no bot token is configured: messages are rendered and logged, never sent.</summary>
    public bool IsDryRun => string.IsNullOrWhiteSpace(BotToken);

    /// <summary>The Bot API base URL to use (the default when the setting is empty).</summary>
    public string ResolvedApiBaseUrl => string.IsNullOrWhiteSpace(ApiBaseUrl) ? DefaultApiBaseUrl : ApiBaseUrl.Trim();
}
