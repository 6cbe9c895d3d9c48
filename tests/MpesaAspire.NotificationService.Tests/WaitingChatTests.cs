using Microsoft.Extensions.Time.Testing;
using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.TestSupport;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>
/// A chat waiting for its next slot holds nothing another chat needs: its messages wait on a timer
/// (at most Telegram:MaxPacingWait) or go back to the outbox, while other chats are sent to at once.
/// The clock is the test's: nothing here depends on how fast the machine is.
/// </summary>
public sealed class WaitingChatTests : IAsyncLifetime
{
    private const long BusyChat = 6_100_001;
    private const long OtherChat = 6_100_002;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 15, 10, 30, 0, TimeSpan.Zero));
    private FakeTelegramBotApi _telegram = null!;
    private NotificationServiceHarness _service = null!;

    public async Task InitializeAsync()
    {
        _telegram = await FakeTelegramBotApi.StartAsync();
        _service = await NotificationServiceHarness.StartAsync(
            _telegram,
            new Dictionary<string, string?> { ["Telegram:MaxPacingWait"] = "00:00:03" },
            _time);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public async Task AnotherChatIsSentToWhileABusyChatWaitsAndWhatCannotWaitGoesBackToTheOutbox()
    {
        Assert.Equal(SendStatus.Delivered, (await _service.SendAsync(Requests.UserReceipt(BusyChat))).Status);

        // Four more for the busy chat: its slots are 1, 2, 3 and 4 s away on a clock that stands still.
        var busy = Enumerable.Range(0, 4).Select(_ => _service.SendAsync(Requests.UserReceipt(BusyChat))).ToList();
        var other = await _service.SendAsync(Requests.UserReceipt(OtherChat)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SendStatus.Delivered, other.Status);
        var handedBack = await Assert.Single(busy, t => t.IsCompleted);
        Assert.Equal(SendStatus.Waiting, handedBack.Status);
        Assert.Equal(4, handedBack.RetryAfterSeconds);
        Assert.Equal([BusyChat, OtherChat], _telegram.Messages.Select(m => m.ChatId));

        // The held ones go one per second as the clock moves.
        var held = busy.Where(t => !t.IsCompleted).ToList();
        for (var second = 1; second <= held.Count; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await WaitUntilAsync(() => held.Count(t => t.IsCompleted) >= second);
        }

        Assert.All(await Task.WhenAll(held), outcome => Assert.Equal(SendStatus.Delivered, outcome.Status));
        Assert.Equal(4, _telegram.Messages.Count(m => m.ChatId == BusyChat));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
