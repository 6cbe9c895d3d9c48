using Microsoft.Extensions.Time.Testing;
using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.TestSupport;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>The record of delivered ids is bounded: by age (Telegram:DeliveredMemoryAge) and by size.</summary>
public sealed class DeliveredMemoryTests
{
    [Fact]
    public async Task ARepeatWithinADayIsAnsweredFromMemoryAndOneAfterItIsSentAgain()
    {
        await using var telegram = await FakeTelegramBotApi.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2024-01-15T07:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var service = await NotificationServiceHarness.StartAsync(telegram, timeProvider: time);
        var request = Requests.UserReceipt(chatId: 7100);

        var first = await service.SendAsync(request);
        time.Advance(TimeSpan.FromHours(23));
        var sameDay = await service.SendAsync(request);
        time.Advance(TimeSpan.FromHours(2));
        var nextDay = await service.SendAsync(request);

        Assert.Equal(first.MessageId, sameDay.MessageId);
        Assert.Equal(SendStatus.Delivered, nextDay.Status);
        Assert.NotEqual(first.MessageId, nextDay.MessageId);
        Assert.Equal(2, telegram.Messages.Count);
    }

    [Fact]
    public async Task OnlyTheMostRecentDeliveredIdsAreRemembered()
    {
        await using var telegram = await FakeTelegramBotApi.StartAsync();
        await using var service = await NotificationServiceHarness.StartAsync(telegram, new Dictionary<string, string?>
        {
            ["Telegram:DeliveredMemorySize"] = "2",
        });
        var oldest = Requests.UserReceipt(chatId: 7201);
        var middle = Requests.UserReceipt(chatId: 7202);
        var newest = Requests.UserReceipt(chatId: 7203);
        foreach (var request in new[] { oldest, middle, newest })
        {
            await service.SendAsync(request);
        }

        await service.SendAsync(newest);
        await service.SendAsync(oldest);

        Assert.Equal(4, telegram.Messages.Count);
        Assert.Equal(2, telegram.Messages.Count(m => m.ChatId == 7201));
        Assert.Single(telegram.Messages, m => m.ChatId == 7203);
    }
}
