namespace MpesaAspire.NotificationService.Telegram;

/// <summary>The bot's identity and mode as last checked.</summary>
/// <param name="Status">"connected as @name", "not configured (dry-run)" or "error: …".</param>
/// <param name="DryRun">True when no bot token is configured.</param>
/// <param name="Healthy">True when Telegram answered getMe (or in dry-run, which needs nothing).</param>
/// <param name="Username">The bot's username without the @, when known.</param>
internal sealed record BotStatus(string Status, bool DryRun, bool Healthy, string Username)
{
    public static BotStatus NotConfigured { get; } = new("not configured (dry-run)", DryRun: true, Healthy: true, Username: string.Empty);

    public static BotStatus NotCheckedYet { get; } = new("error: Telegram not checked yet", DryRun: false, Healthy: false, Username: string.Empty);

    public static BotStatus Connected(string username) => new("connected as @" + username, DryRun: false, Healthy: true, username);

    public static BotStatus Failed(string reason) => new("error: " + reason, DryRun: false, Healthy: false, Username: string.Empty);

    /// <summary>The same, noting that admin messages wait because no admin chat is configured.</summary>
    public BotStatus WithoutAdminChat() => this with
    {
        Status = Status + "; no admin chat configured (Telegram:AdminChatId): admin messages wait",
        Healthy = false,
    };
}
