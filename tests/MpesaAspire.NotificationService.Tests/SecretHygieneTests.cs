using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using MpesaAspire.TestSupport;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>The bot token is part of every Bot API URL: it must not leak into logs or traces.</summary>
public sealed class SecretHygieneTests
{
    private const string TokenSecret = "test-secret-token-for-hygiene";

    [Fact]
    public async Task TheBotTokenNeverAppearsInLogsOrTraces()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var telegram = await FakeTelegramBotApi.StartAsync();
        _ = NotificationServiceHarness.BotToken.Contains(TokenSecret, StringComparison.Ordinal) ? 0 : throw new InvalidOperationException("The harness token changed.");

        // The service's real telemetry wiring (ServiceDefaults), as in production.
        await using (var service = await NotificationServiceHarness.StartAsync(telegram, configure: builder => builder.ConfigureOpenTelemetry()))
        {
            await service.GetBotStatusAsync();
            await service.SendAsync(Requests.AdminSuccess());
            telegram.BlockChat(6200);
            await service.SendAsync(Requests.UserReceipt(chatId: 6200));

            var logs = service.Logs.GetSnapshot();
            Assert.Contains(logs, r => r.Message.StartsWith("Admin notification sent", StringComparison.Ordinal));
            Assert.DoesNotContain(logs, r => r.Message.Contains(TokenSecret, StringComparison.Ordinal) || (r.Exception?.ToString().Contains(TokenSecret, StringComparison.Ordinal) ?? false));
        }

        var telegramSpans = spans.Where(s => s.GetTagItem("url.full") is string url && url.StartsWith(telegram.BaseUrl.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(telegramSpans);
        Assert.All(telegramSpans, s => Assert.Contains("/bot[REDACTED]/", (string)s.GetTagItem("url.full")!, StringComparison.Ordinal));
        // Spans of calls to this test's Telegram (tests run in parallel and the listener sees them all),
        // without the fake's own server spans ("Microsoft.AspNetCore"), which stand for Telegram's side.
        var port = telegram.BaseUrl.Port;
        var ours = spans.Where(s => s.Source.Name != "Microsoft.AspNetCore"
            && (Equals(s.GetTagItem("server.port"), port) || s.DisplayName.EndsWith(":" + port, StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(ours);
        Assert.DoesNotContain(ours, s => s.DisplayName.Contains(TokenSecret, StringComparison.Ordinal)
            || s.TagObjects.Any(t => t.Value?.ToString()?.Contains(TokenSecret, StringComparison.Ordinal) == true));
    }
}
