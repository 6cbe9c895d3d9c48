using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.TestSupport;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>Without a bot token every message is rendered and logged, and Telegram is never called.</summary>
public sealed class DryRunTests : IAsyncLifetime
{
    private FakeTelegramBotApi _telegram = null!;
    private NotificationServiceHarness _service = null!;

    public async Task InitializeAsync()
    {
        _telegram = await FakeTelegramBotApi.StartAsync();

        // The API base URL points at the fake, but there is no token: nothing may reach it.
        _service = await NotificationServiceHarness.StartAsync(telegram: null, new Dictionary<string, string?>
        {
            ["Telegram:ApiBaseUrl"] = _telegram.BaseUrl.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public async Task EveryMessageIsRenderedAndLoggedButNothingIsSent()
    {
        var admin = await _service.SendAsync(Requests.AdminSuccess());
        var receipt = await _service.SendAsync(Requests.UserReceipt(chatId: 5100));

        Assert.All([admin, receipt], r =>
        {
            Assert.Equal(SendStatus.Delivered, r.Status);
            Assert.True(r.DryRun);
        });
        Assert.Equal(0, _telegram.SendMessageCalls);
        Assert.Equal(0, _telegram.GetMeCalls);

        var rendered = _service.Logs.GetSnapshot().Where(r => r.Id.Id == 3003).Select(r => r.Message).ToList();
        Assert.Equal(2, rendered.Count);
        Assert.Contains(rendered, m => m.Contains(NotificationServiceHarness.AdminChatId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            && m.Contains("✅ Payment Successful\n\n💰 Amount: KES 1,000.00\n📱 Phone: 2547****4149\n🧾 Receipt: NLJ7RT61SV", StringComparison.Ordinal));
        Assert.Contains(rendered, m => m.Contains("5100", StringComparison.Ordinal) && m.Contains("🎉 Payment Receipt\n\nThank you for your payment!", StringComparison.Ordinal));
        Assert.DoesNotContain(_service.Logs.GetSnapshot(), r => r.Message.Contains("254708374149", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdminMessagesAreRenderedEvenWithoutAnAdminChat()
    {
        await using var withoutAdmin = await NotificationServiceHarness.StartAsync(telegram: null, new Dictionary<string, string?>
        {
            ["Telegram:AdminChatId"] = "",
        });

        var response = await withoutAdmin.SendAsync(Requests.AdminFailure());

        Assert.Equal(SendStatus.Delivered, response.Status);
        Assert.True(response.DryRun);
        Assert.Contains(withoutAdmin.Logs.GetSnapshot(), r => r.Id.Id == 3003 && r.Message.Contains("❌ Payment Failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheBotReportsItselfNotConfiguredAndHealthy()
    {
        var status = await _service.GetBotStatusAsync();
        var health = await _service.CheckTelegramHealthAsync();

        Assert.Equal("not configured (dry-run)", status.Status);
        Assert.True(status.DryRun);
        Assert.True(status.Healthy);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, health.Status);
        Assert.Equal("dry-run: no bot token configured", health.Description);
    }
}
