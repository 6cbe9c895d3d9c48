using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MpesaAspire.NotificationService.Telegram;
using OpenTelemetry.Instrumentation.Http;

namespace MpesaAspire.NotificationService;

/// <summary>Registers the Telegram side of the notification service: options, bot client, pacing, queue, status and health.</summary>
public static class TelegramServiceCollectionExtensions
{
    public static IServiceCollection AddTelegramNotifications(this IServiceCollection services)
    {
        services.AddOptions<TelegramOptions>()
            .BindConfiguration(TelegramOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        // No resilience handler (it would retry 429s on its own schedule, ignoring retry_after) and no
        // request logging (the bot token is part of every URL).
        services.AddHttpClient(TelegramBotClientFactory.HttpClientName, (provider, http) =>
                http.Timeout = provider.GetRequiredService<IOptions<TelegramOptions>>().Value.RequestTimeout)
            .RemoveAllLoggers();
        services.Configure<HttpClientTraceInstrumentationOptions>(tracing =>
        {
            var enrich = tracing.EnrichWithHttpRequestMessage;
            tracing.EnrichWithHttpRequestMessage = (activity, request) =>
            {
                enrich?.Invoke(activity, request);
                TelegramTraceRedaction.Redact(activity, request);
            };
        });

        services.AddSingleton<NotificationMetrics>();
        services.AddSingleton<TelegramBotClientFactory>();
        services.AddSingleton<ChatPacer>();
        services.AddSingleton<ChatMigrations>();
        services.AddSingleton<DeliveredNotifications>();
        services.AddSingleton<TelegramDelivery>();
        services.AddSingleton<DigestBatcher>();
        services.AddSingleton<TelegramSender>();
        services.AddSingleton<BotStatusMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<BotStatusMonitor>());

        services.AddHealthChecks().AddCheck<TelegramHealthCheck>(TelegramHealthCheck.Name);
        return services;
    }
}
