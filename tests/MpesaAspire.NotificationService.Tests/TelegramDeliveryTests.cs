using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.TestSupport;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>How the service answers when Telegram refuses, floods, moves a chat or goes away.</summary>
public sealed class TelegramDeliveryTests : IAsyncLifetime
{
    private FakeTelegramBotApi _telegram = null!;
    private NotificationServiceHarness _service = null!;

    public async Task InitializeAsync()
    {
        _telegram = await FakeTelegramBotApi.StartAsync();
        // The pace itself is under test: every message is held until its slot, none handed back.
        _service = await NotificationServiceHarness.StartAsync(_telegram, new Dictionary<string, string?> { ["Telegram:MaxPacingWait"] = "00:00:20" });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public async Task FloodControlAsksTheCallerToRetryAfterExactlyTelegramsRetryAfter()
    {
        _telegram.TooManyRequestsRatio = 1;
        _telegram.RetryAfterSeconds = 2;
        var request = Requests.UserReceipt(chatId: 4001);

        var refused = await _service.SendAsync(request);

        Assert.Equal(SendStatus.Waiting, refused.Status);
        Assert.Equal(2, refused.RetryAfterSeconds);
        Assert.Contains("Too Many Requests", refused.Detail, StringComparison.Ordinal);
        Assert.Empty(_telegram.Messages);

        // The retry waits out the pause (the service holds it, within its bound) and goes through once.
        _telegram.TooManyRequestsRatio = 0;
        var retried = await _service.SendAsync(request);

        Assert.Equal(SendStatus.Delivered, retried.Status);
        Assert.Single(_telegram.Messages);
        Assert.Equal(2, _telegram.SendMessageCalls);
    }

    [Fact]
    public async Task EveryFifthCallRefusedMeansEveryFifthNotificationIsDeferredNotLost()
    {
        _telegram.TooManyRequestsRatio = 0.2;
        _telegram.RetryAfterSeconds = 1;

        var responses = new List<SendOutcome>();
        for (var i = 0; i < 10; i++)
        {
            responses.Add(await _service.SendAsync(Requests.UserReceipt(chatId: 4100 + i)));
        }

        Assert.Equal(2, responses.Count(r => r.Status == SendStatus.Waiting));
        Assert.All(responses.Where(r => r.Status == SendStatus.Waiting), r => Assert.Equal(1, r.RetryAfterSeconds));
        Assert.Equal(8, responses.Count(r => r.Status == SendStatus.Delivered));
        Assert.Equal(8, _telegram.Messages.Count);
    }

    [Theory]
    [InlineData("Forbidden: bot was blocked by the user")]
    [InlineData("Forbidden: bot can't initiate conversation with a user")]
    [InlineData("Forbidden: bot was kicked from the group chat")]
    [InlineData("Forbidden: user is deactivated")]
    public async Task AChatThatRefusesTheBotFailsPermanentlyWithTelegramsDescription(string description)
    {
        _telegram.BlockChat(4200, description);

        var response = await _service.SendAsync(Requests.UserReceipt(chatId: 4200));

        Assert.Equal(SendStatus.FailedPermanently, response.Status);
        Assert.Equal(description, response.Detail);
        Assert.Equal(1, _telegram.SendMessageCalls);
        Assert.Empty(_telegram.Messages);
    }

    [Fact]
    public async Task AChatThatDoesNotExistFailsPermanentlyAndIsNotRetried()
    {
        _telegram.RejectChatNotFound(4300);

        var response = await _service.SendAsync(Requests.UserReceipt(chatId: 4300));

        Assert.Equal(SendStatus.FailedPermanently, response.Status);
        Assert.Equal("Bad Request: chat not found", response.Detail);
        Assert.Equal(1, _telegram.SendMessageCalls);
    }

    [Fact]
    public async Task AnAdminGroupThatBecameASupergroupGetsTheMessageAtItsNewIdAndKeepsIt()
    {
        const long supergroup = -1_001_234_567_890;
        _telegram.MigrateChat(NotificationServiceHarness.AdminChatId, supergroup);

        var first = await _service.SendAsync(Requests.AdminSuccess());

        Assert.Equal(SendStatus.Delivered, first.Status);
        Assert.Equal(supergroup, first.MigratedToChatId);
        var message = Assert.Single(_telegram.Messages);
        Assert.Equal(supergroup, message.ChatId);
        Assert.Equal(first.MessageId, message.MessageId);
        Assert.Equal(2, _telegram.SendMessageCalls);

        // Remembered: the next admin message goes straight to the supergroup.
        var second = await _service.SendAsync(Requests.AdminFailure());

        Assert.Equal(SendStatus.Delivered, second.Status);
        Assert.Equal(supergroup, second.MigratedToChatId);
        Assert.Equal(3, _telegram.SendMessageCalls);
        Assert.All(_telegram.Messages, m => Assert.Equal(supergroup, m.ChatId));
    }

    [Fact]
    public async Task APayersGroupThatBecameASupergroupGetsTheReceiptAtItsNewId()
    {
        _telegram.MigrateChat(-4400, -1_004_400);

        var response = await _service.SendAsync(Requests.UserReceipt(chatId: -4400));

        Assert.Equal(SendStatus.Delivered, response.Status);
        Assert.Equal(-1_004_400, response.MigratedToChatId);
        Assert.Equal(-1_004_400, Assert.Single(_telegram.Messages).ChatId);
    }

    [Fact]
    public async Task WhileTelegramIsUnreachableNotificationsAreDeferredBriefly()
    {
        _telegram.IsDown = true;
        var request = Requests.AdminSuccess();

        var deferred = await _service.SendAsync(request);

        Assert.Equal(SendStatus.Retry, deferred.Status);
        Assert.Equal(5, deferred.RetryAfterSeconds);
        Assert.Contains("Telegram unreachable", deferred.Detail, StringComparison.Ordinal);

        _telegram.IsDown = false;
        var delivered = await _service.SendAsync(request);

        Assert.Equal(SendStatus.Delivered, delivered.Status);
        Assert.Single(_telegram.Messages);
    }

    [Fact]
    public async Task AConnectionResetAfterTelegramTookAReceiptLeavesTheOutcomeUncertainNotRetried()
    {
        _telegram.ResetAfterAccepting = true;

        var response = await _service.SendAsync(Requests.UserReceipt(chatId: 4460));

        Assert.Equal(SendStatus.Uncertain, response.Status);
        Assert.Contains("may have been delivered", response.Detail, StringComparison.Ordinal);
        Assert.Single(_telegram.Messages);
    }

    [Fact]
    public async Task ATelegramThatDeliversButAnswersAfterTheTimeoutLeavesTheOutcomeUncertainNotRetried()
    {
        // A slow Bot API: it shows the message to the payer at once but answers after 5 s.
        _telegram.AnswerDelay = TimeSpan.FromSeconds(5);
        await using var impatient = await NotificationServiceHarness.StartAsync(_telegram, new Dictionary<string, string?>
        {
            ["Telegram:RequestTimeout"] = "00:00:01",
        });

        var response = await impatient.SendAsync(Requests.UserReceipt(chatId: 4450));

        Assert.Equal(SendStatus.Uncertain, response.Status);
        Assert.Contains("may have been delivered", response.Detail, StringComparison.Ordinal);
        Assert.Equal(4450, Assert.Single(_telegram.Messages).ChatId);
    }

    [Fact]
    public async Task AReceiptIsNotSentWhenItsSendCannotBeRecordedFirst()
    {
        var notRecorded = await _service.SendAsync(Requests.UserReceipt(chatId: 4460), beforeSend: _ => Task.FromResult(false));
        var recordingFailed = await _service.SendAsync(
            Requests.UserReceipt(chatId: 4461), beforeSend: _ => throw new InvalidOperationException("transaction-service unreachable"));
        var recorded = await _service.SendAsync(Requests.UserReceipt(chatId: 4462), beforeSend: _ => Task.FromResult(true));

        Assert.Equal(SendStatus.Retry, notRecorded.Status);
        Assert.Equal(SendStatus.Retry, recordingFailed.Status);
        Assert.Equal(SendStatus.Delivered, recorded.Status);
        Assert.Equal(4462, Assert.Single(_telegram.Messages).ChatId);
    }

    [Fact]
    public async Task RepeatingADeliveredNotificationAnswersTheSameMessageAndSendsNothing()
    {
        var request = Requests.UserReceipt(chatId: 4500);

        var first = await _service.SendAsync(request);
        var repeat = await _service.SendAsync(request);
        var adminRequest = Requests.AdminSuccess();
        var adminFirst = await _service.SendAsync(adminRequest);
        var adminRepeat = await _service.SendAsync(adminRequest);

        Assert.Equal(SendStatus.Delivered, repeat.Status);
        Assert.Equal(first.MessageId, repeat.MessageId);
        Assert.Equal(SendStatus.Delivered, adminRepeat.Status);
        Assert.Equal(adminFirst.MessageId, adminRepeat.MessageId);
        Assert.Equal(2, _telegram.Messages.Count);
        Assert.Equal(2, _telegram.SendMessageCalls);
    }

    [Fact]
    public async Task TheSameNotificationSentTwiceAtOnceReachesThePayerOnce()
    {
        var request = Requests.UserReceipt(chatId: 4550);

        var responses = await Task.WhenAll(_service.SendAsync(request), _service.SendAsync(request), _service.SendAsync(request));

        Assert.All(responses, r => Assert.Equal(SendStatus.Delivered, r.Status));
        Assert.Single(responses.Select(r => r.MessageId).Distinct());
        Assert.Single(_telegram.Messages);
    }

    [Fact]
    public async Task ReceiptsToOneChatArePacedSoTelegramNeverFloodsIt()
    {
        // The fake refuses (429) a message to a chat less than 0.5 s after the previous one. One
        // message first, so a cold connection's latency does not blur the pace the fake measures.
        _telegram.EnforcedChatInterval = TimeSpan.FromMilliseconds(500);
        await _service.SendAsync(Requests.UserReceipt(chatId: 1));
        _telegram.Clear();

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _service.SendAsync(Requests.UserReceipt(chatId: 4600))));

        Assert.All(responses, r => Assert.Equal(SendStatus.Delivered, r.Status));
        Assert.Equal(3, _telegram.Messages.Count);
        Assert.Equal(3, _telegram.SendMessageCalls);
    }

    [Fact]
    public async Task MessagesToDifferentChatsDoNotWaitForEachOther()
    {
        _telegram.EnforcedChatInterval = TimeSpan.FromMilliseconds(500);

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => _service.SendAsync(Requests.UserReceipt(chatId: 4700 + i))));

        Assert.All(responses, r => Assert.Equal(SendStatus.Delivered, r.Status));
        Assert.Equal(5, _telegram.Messages.Select(m => m.ChatId).Distinct().Count());
    }
}
