using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MpesaAspire.NotificationService.Delivery;
using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.TestSupport;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>What the Telegram section's settings do, and how a wrong one stops the service at start.</summary>
public sealed class TelegramConfigurationTests
{
    [Fact]
    public async Task AMalformedBotTokenStopsTheStartNamingTheKeyWithoutShowingTheToken()
    {
        const string secret = "not-a-token-TopSecretValue";

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => NotificationServiceHarness.StartAsync(
            telegram: null,
            new Dictionary<string, string?> { ["Telegram:BotToken"] = secret }));

        Assert.Contains("Telegram:BotToken", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TopSecretValue", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Telegram:ApiBaseUrl", "not a url")]
    [InlineData("Telegram:ApiBaseUrl", "ftp://api.telegram.org")]
    [InlineData("Telegram:DigestThreshold", "1")]
    [InlineData("Telegram:MaxPacingWait", "00:00:00")]
    [InlineData("Telegram:AdminChatId", "0")]
    public async Task AnUnworkableSettingStopsTheStartNamingTheKey(string key, string value)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => NotificationServiceHarness.StartAsync(
            telegram: null,
            new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAnAdminChatAdminMessagesWaitForItAndReceiptsStillGo()
    {
        await using var telegram = await FakeTelegramBotApi.StartAsync();
        await using var service = await NotificationServiceHarness.StartAsync(telegram, new Dictionary<string, string?>
        {
            ["Telegram:AdminChatId"] = "",
        });

        var admin = await service.SendAsync(Requests.AdminSuccess());
        var receipt = await service.SendAsync(Requests.UserReceipt(chatId: 6100));

        Assert.Equal(SendStatus.Waiting, admin.Status);
        Assert.Contains("Telegram:AdminChatId", admin.Detail, StringComparison.Ordinal);
        Assert.Equal(SendStatus.Delivered, receipt.Status);
        Assert.Equal(6100, Assert.Single(telegram.Messages).ChatId);
    }

    [Fact]
    public async Task TheAppHostsEnvironmentVariablesConfigureTheBot()
    {
        await using var telegram = await FakeTelegramBotApi.StartAsync();
        var builder = NotificationServiceHarness.CreateBuilder(telegram: null);
        var environment = new Dictionary<string, string?>
        {
            ["Telegram__BotToken"] = NotificationServiceHarness.BotToken,
            ["Telegram__AdminChatId"] = "-100777",
            ["Telegram__ApiBaseUrl"] = telegram.BaseUrl.ToString(),
        };
        foreach (var (name, value) in environment)
        {
            Environment.SetEnvironmentVariable("MPESA_NOTIFICATION_TEST_" + name, value);
        }

        try
        {
            // The same names the AppHost sets, read the way ASP.NET reads environment variables.
            builder.Configuration.AddEnvironmentVariables("MPESA_NOTIFICATION_TEST_");
            using var host = builder.Build();
            await host.StartAsync();
            Assert.True(PendingNotificationMapping.TryMap(Requests.AdminSuccess(), out var notification, out _));

            var response = await host.Services.GetRequiredService<TelegramSender>().SendAsync(notification, beforeSend: null, CancellationToken.None);

            Assert.Equal(SendStatus.Delivered, response.Status);
            Assert.Equal(-100777, Assert.Single(telegram.Messages).ChatId);
            await host.StopAsync();
        }
        finally
        {
            foreach (var name in environment.Keys)
            {
                Environment.SetEnvironmentVariable("MPESA_NOTIFICATION_TEST_" + name, null);
            }
        }
    }
}
