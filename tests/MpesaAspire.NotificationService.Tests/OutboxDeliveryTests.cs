using Microsoft.Extensions.Hosting;
using MpesaAspire.TestSupport;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>
/// The notification service delivering the real transaction service's outbox: what reaches the fake
/// Telegram, and what the outbox then says about each notification.
/// </summary>
public sealed class OutboxDeliveryTests : IAsyncLifetime
{
    private const long PayerChatId = 7_100_001;
    private const long PayerPhone = 254_711_000_001;

    private FakeTelegramBotApi _telegram = null!;
    private TransactionServiceHost _outbox = null!;

    public async Task InitializeAsync()
    {
        _telegram = await FakeTelegramBotApi.StartAsync();
        _outbox = await TransactionServiceHost.StartAsync();
        await _outbox.Client.RegisterUserAsync(new RegisterUserRequest { TelegramChatId = PayerChatId, PhoneNumber = PayerPhone.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    public async Task DisposeAsync()
    {
        await _outbox.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public async Task ARecordedPaymentReachesTheAdminAndThePayerOnceAndTheOutboxSaysDelivered()
    {
        await using var service = await StartAsync(_telegram);
        var checkoutRequestId = NewCheckoutRequestId();

        await _outbox.RecordSuccessAsync(checkoutRequestId, PayerPhone, 1000m);

        await _outbox.WaitForStatusAsync(checkoutRequestId, NotificationKind.UserReceipt, NotificationStatus.Delivered);
        await _outbox.WaitForStatusAsync(checkoutRequestId, NotificationKind.AdminSuccess, NotificationStatus.Delivered);
        Assert.Single(_telegram.Messages, m => m.ChatId == PayerChatId);
        Assert.Single(_telegram.Messages, m => m.ChatId == NotificationServiceHarness.AdminChatId && m.Text.Contains(checkoutRequestId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BeingToldWhatWasJustQueuedDeliversItWithoutWaitingForTheNextPoll()
    {
        // The next regular look at the outbox is minutes away: only being told can explain a delivery.
        await using var service = await StartAsync(_telegram, new Dictionary<string, string?>
        {
            ["Delivery:PollInterval"] = "00:05:00",
            ["Delivery:MaxBackoff"] = "00:05:00",
        });
        var first = NewCheckoutRequestId();
        await RecordAndTellAsync(service, first);
        await _outbox.WaitForStatusAsync(first, NotificationKind.UserReceipt, NotificationStatus.Delivered);

        // The service has looked at the outbox and now waits for its next poll.
        var second = NewCheckoutRequestId();
        await RecordAndTellAsync(service, second);

        await _outbox.WaitForStatusAsync(second, NotificationKind.UserReceipt, NotificationStatus.Delivered);
        Assert.Equal(2, _telegram.Messages.Count(m => m.ChatId == PayerChatId));
    }

    [Fact]
    public async Task AReceiptTelegramTookButDidNotConfirmInTimeIsUncertainSentOnceAndTheAdminIsTold()
    {
        _telegram.AnswerDelay = TimeSpan.FromSeconds(3);
        await using var service = await StartAsync(_telegram, new Dictionary<string, string?> { ["Telegram:RequestTimeout"] = "00:00:01" });
        var checkoutRequestId = NewCheckoutRequestId();

        await _outbox.RecordSuccessAsync(checkoutRequestId, PayerPhone, 250m);

        await _outbox.WaitForStatusAsync(checkoutRequestId, NotificationKind.UserReceipt, NotificationStatus.Uncertain);
        _telegram.AnswerDelay = TimeSpan.Zero;
        var alert = await _telegram.WaitForMessagesAsync(
            m => m.ChatId == NotificationServiceHarness.AdminChatId && m.Text.StartsWith("⚠️ Receipt not confirmed", StringComparison.Ordinal),
            1,
            TimeSpan.FromSeconds(60));
        Assert.Contains(checkoutRequestId, Assert.Single(alert).Text, StringComparison.Ordinal);
        Assert.Single(_telegram.Messages, m => m.ChatId == PayerChatId);
        Assert.Equal(NotificationStatus.Uncertain, await _outbox.StatusAsync(checkoutRequestId, NotificationKind.UserReceipt));
    }

    [Fact]
    public async Task InDryRunEveryMessageIsRecordedAsDryRunAndNothingReachesTelegram()
    {
        await using var service = await StartAsync(telegram: null);
        var checkoutRequestId = NewCheckoutRequestId();

        await _outbox.RecordSuccessAsync(checkoutRequestId, PayerPhone, 500m);

        await _outbox.WaitForStatusAsync(checkoutRequestId, NotificationKind.UserReceipt, NotificationStatus.DryRun);
        await _outbox.WaitForStatusAsync(checkoutRequestId, NotificationKind.AdminSuccess, NotificationStatus.DryRun);
        Assert.Equal(0, _telegram.SendMessageCalls);
    }

    [Fact]
    public async Task WithoutAnAdminChatTheAdminMessageWaitsInTheQueueWhileTheReceiptGoes()
    {
        await using var service = await StartAsync(_telegram, new Dictionary<string, string?> { ["Telegram:AdminChatId"] = "" });
        var checkoutRequestId = NewCheckoutRequestId();

        await _outbox.RecordSuccessAsync(checkoutRequestId, PayerPhone, 75m);

        await _outbox.WaitForStatusAsync(checkoutRequestId, NotificationKind.UserReceipt, NotificationStatus.Delivered);
        Assert.Equal(NotificationStatus.Pending, await _outbox.StatusAsync(checkoutRequestId, NotificationKind.AdminSuccess));
        Assert.Single(_telegram.Messages);
    }

    /// <summary>Records a payment and passes the queued ids on, as the gateway does.</summary>
    private async Task RecordAndTellAsync(NotificationServiceHarness service, string checkoutRequestId)
    {
        var recorded = await _outbox.RecordSuccessAsync(checkoutRequestId, PayerPhone, 120m);
        await service.Service.DeliverNow(
            new Notifications.V1.DeliverNowRequest { NotificationIds = { recorded.QueuedNotifications.Select(n => n.NotificationId) } },
            new TestServerCallContext());
    }

    private static string NewCheckoutRequestId() => $"ws_CO_NS_{Guid.NewGuid():N}";

    private Task<NotificationServiceHarness> StartAsync(FakeTelegramBotApi? telegram, Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Delivery:TransactionService"] = _outbox.Address.ToString();
        settings.TryAdd("Delivery:PollInterval", "00:00:00.2");
        settings["InternalApi:Token"] = TransactionServiceHost.InternalApiToken;
        return NotificationServiceHarness.StartAsync(telegram, settings, configure: builder =>
        {
            builder.Services.AddInternalApiAuthentication();
            builder.Services.AddOutboxDelivery();
        });
    }
}
