using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using MpesaAspire.TestSupport;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>The bot's identity for /health: fetched in the background, cached, refreshed every few minutes.</summary>
public sealed class BotStatusTests : IAsyncLifetime
{
    private FakeTelegramBotApi _telegram = null!;

    public async Task InitializeAsync() => _telegram = await FakeTelegramBotApi.StartAsync();

    public async Task DisposeAsync() => await _telegram.DisposeAsync();

    [Fact]
    public async Task ALiveBotWithoutAnAdminChatSaysAdminMessagesWaitAndIsNotHealthy()
    {
        await using var service = await NotificationServiceHarness.StartAsync(_telegram, new Dictionary<string, string?>
        {
            ["Telegram:AdminChatId"] = "",
        });

        var status = await service.GetBotStatusAsync();
        var health = await service.CheckTelegramHealthAsync();

        Assert.Equal("connected as @mpesa_test_bot; no admin chat configured (Telegram:AdminChatId): admin messages wait", status.Status);
        Assert.False(status.Healthy);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("Telegram:AdminChatId", health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyStatusRequestsAreAnsweredFromOneGetMe()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2024-01-15T07:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var service = await NotificationServiceHarness.StartAsync(_telegram, timeProvider: time);

        var statuses = new List<Notifications.V1.GetBotStatusResponse>();
        for (var i = 0; i < 25; i++)
        {
            statuses.Add(await service.GetBotStatusAsync());
        }

        Assert.All(statuses, s =>
        {
            Assert.Equal("connected as @mpesa_test_bot", s.Status);
            Assert.Equal("mpesa_test_bot", s.Username);
            Assert.True(s.Healthy);
            Assert.False(s.DryRun);
        });
        Assert.Equal(1, _telegram.GetMeCalls);

        var health = await service.CheckTelegramHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal("connected as @mpesa_test_bot", health.Description);
    }

    [Fact]
    public async Task TheStatusIsRefreshedAfterTheRefreshInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2024-01-15T07:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var service = await NotificationServiceHarness.StartAsync(_telegram, timeProvider: time);
        Assert.Equal("connected as @mpesa_test_bot", (await service.GetBotStatusAsync()).Status);

        _telegram.BotUsername = "renamed_bot";
        time.Advance(TimeSpan.FromMinutes(5));

        var status = await WaitForStatusAsync(service, s => s.Status == "connected as @renamed_bot");
        Assert.Equal("renamed_bot", status.Username);
        Assert.Equal(2, _telegram.GetMeCalls);
    }

    [Fact]
    public async Task WhenTelegramIsUnreachableTheStatusSaysWhyAndHealthIsDegraded()
    {
        _telegram.IsDown = true;
        await using var service = await NotificationServiceHarness.StartAsync(_telegram);

        var status = await WaitForStatusAsync(service, s => s.Status.StartsWith("error: ", StringComparison.Ordinal));
        var health = await service.CheckTelegramHealthAsync();

        Assert.False(status.Healthy);
        Assert.False(status.DryRun);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.StartsWith("error: ", health.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(NotificationServiceHarness.BotToken, status.Status, StringComparison.Ordinal);
    }

    private static async Task<Notifications.V1.GetBotStatusResponse> WaitForStatusAsync(
        NotificationServiceHarness service,
        Func<Notifications.V1.GetBotStatusResponse, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var status = await service.GetBotStatusAsync();
            if (condition(status))
            {
                return status;
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"The bot status stayed \"{status.Status}\".");
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }
}
