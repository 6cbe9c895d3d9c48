using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.TestSupport;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>A request is never held longer than Telegram:MaxPacingWait: beyond it it goes back to the outbox, not counted as an attempt.</summary>
public sealed class PacingBoundTests : IAsyncLifetime
{
    private FakeTelegramBotApi _telegram = null!;
    private NotificationServiceHarness _service = null!;

    public async Task InitializeAsync()
    {
        _telegram = await FakeTelegramBotApi.StartAsync();
        _telegram.EnforcedChatInterval = TimeSpan.FromMilliseconds(500);
        _service = await NotificationServiceHarness.StartAsync(_telegram, new Dictionary<string, string?>
        {
            ["Telegram:MaxPacingWait"] = "00:00:02",
        });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public async Task ReceiptsBeyondTheChatsPaceAreDeferredInsteadOfHeld()
    {
        await WarmUpAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _service.SendAsync(Requests.UserReceipt(chatId: 4800))));

        var delivered = responses.Where(r => r.Status == SendStatus.Delivered).ToList();
        var deferred = responses.Where(r => r.Status == SendStatus.Waiting).ToList();
        Assert.Equal(6, delivered.Count + deferred.Count);
        Assert.NotEmpty(delivered);
        Assert.NotEmpty(deferred);
        Assert.All(deferred, r => Assert.InRange(r.RetryAfterSeconds, 1, 10));
        Assert.Equal(delivered.Count, _telegram.Messages.Count);
        Assert.Equal(delivered.Count, _telegram.SendMessageCalls);
    }

    [Fact]
    public async Task AChatPausedByTelegramForLongerThanTheBoundDefersTheNextMessageAtOnce()
    {
        _telegram.TooManyRequestsRatio = 1;
        _telegram.RetryAfterSeconds = 30;
        var first = await _service.SendAsync(Requests.UserReceipt(chatId: 4900));
        _telegram.TooManyRequestsRatio = 0;

        var next = await _service.SendAsync(Requests.UserReceipt(chatId: 4900));

        Assert.Equal(SendStatus.Waiting, first.Status);
        Assert.Equal(30, first.RetryAfterSeconds);
        Assert.Equal(SendStatus.Waiting, next.Status);
        Assert.InRange(next.RetryAfterSeconds, 28, 30);
        Assert.Equal(1, _telegram.SendMessageCalls);
    }

    /// <summary>One message first, so a cold connection's latency does not blur the pace the fake measures.</summary>
    private async Task WarmUpAsync()
    {
        await _service.SendAsync(Requests.UserReceipt(chatId: 1));
        _telegram.Clear();
    }
}
