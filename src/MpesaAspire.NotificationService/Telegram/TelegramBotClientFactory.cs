using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// Creates the Telegram.Bot client over an <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>
/// (so the call shows in the trace), without any resilience handler and with the library's own 429
/// retries off: the service honours <c>retry_after</c> itself.
/// </summary>
internal sealed class TelegramBotClientFactory(IHttpClientFactory httpClientFactory, IOptions<TelegramOptions> options)
{
    public const string HttpClientName = "Telegram";

    public ITelegramBotClient Create()
    {
        var settings = options.Value;
        if (settings.IsDryRun)
        {
            throw new InvalidOperationException("Telegram:BotToken is not configured (dry-run mode): there is no bot to call.");
        }

        var baseUrl = settings.ResolvedApiBaseUrl.TrimEnd('/');
        var clientOptions = new TelegramBotClientOptions(
            settings.BotToken!,
            baseUrl == TelegramOptions.DefaultApiBaseUrl ? null : baseUrl)
        {
            RetryThreshold = 0,
            RetryCount = 0,
        };

        return new TelegramBotClient(clientOptions, httpClientFactory.CreateClient(HttpClientName));
    }
}
