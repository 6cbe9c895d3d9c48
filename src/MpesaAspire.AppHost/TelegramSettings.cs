namespace MpesaAspire.AppHost;

/// <summary>
/// The Telegram settings an operator gives the AppHost (environment, user-secrets or
/// <c>--Parameters:name=value</c>), passed on to the notification service only.
/// </summary>
internal static class TelegramSettings
{
    public const string BotTokenParameter = "telegram-bot-token";
    public const string AdminChatIdParameter = "telegram-admin-chat-id";
    public const string ApiUrlParameter = "telegram-api-url";
    public const string DefaultApiUrl = "https://api.telegram.org";

    /// <summary>
    /// Hands the configured Telegram settings to <paramref name="service"/>. Every setting is optional:
    /// without a bot token the notification service runs in dry-run mode and says so in its health.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTelegramSettings(this IResourceBuilder<ProjectResource> service)
    {
        var builder = service.ApplicationBuilder;

        if (IsConfigured(builder, BotTokenParameter))
        {
            service.WithEnvironment("Telegram__BotToken", builder.AddParameter(BotTokenParameter, secret: true));
        }

        if (IsConfigured(builder, AdminChatIdParameter))
        {
            service.WithEnvironment("Telegram__AdminChatId", builder.AddParameter(AdminChatIdParameter));
        }

        // Telegram's global rate (about 30 messages/s across chats); the notification service's default is 30.
        if (builder.Configuration["Telegram:MessagesPerSecond"] is { Length: > 0 } messagesPerSecond)
        {
            service.WithEnvironment("Telegram__MessagesPerSecond", messagesPerSecond);
        }

        var apiUrl = IsConfigured(builder, ApiUrlParameter)
            ? builder.AddParameter(ApiUrlParameter)
            : builder.AddParameter(ApiUrlParameter, DefaultApiUrl);
        return service.WithEnvironment("Telegram__ApiBaseUrl", apiUrl);
    }

    private static bool IsConfigured(IDistributedApplicationBuilder builder, string parameter) =>
        !string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{parameter}"]);
}
