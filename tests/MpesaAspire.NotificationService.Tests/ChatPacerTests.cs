using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MpesaAspire.NotificationService.Telegram;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>The pace per chat, on a clock the test moves.</summary>
public sealed class ChatPacerTests
{
    private const long ChatId = 42;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 15, 10, 30, 0, TimeSpan.Zero));

    [Fact]
    public async Task TheNextMessageToAChatWaitsAFullIntervalAfterThePreviousSendFinished()
    {
        var pacer = new ChatPacer(_time, Options.Create(new TelegramOptions
        {
            PerChatInterval = TimeSpan.FromSeconds(1),
            MaxPacingWait = TimeSpan.FromSeconds(20),
        }));
        Assert.True((await pacer.WaitForSlotAsync(ChatId, CancellationToken.None)).IsGranted);
        var next = pacer.WaitForSlotAsync(ChatId, CancellationToken.None);

        // The first message spends 0.9 s on its way to Telegram, so it arrives just before the
        // second message's slot: sending then would put two messages 0.1 s apart at Telegram.
        _time.Advance(TimeSpan.FromMilliseconds(900));
        pacer.Completed(ChatId);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.False(next.IsCompleted, "the second message was let through 0.1 s after the first one finished");

        // A full interval after the first one finished (and after its own earlier place in line).
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await next.WaitAsync(TimeSpan.FromSeconds(10))).IsGranted);
    }
}
