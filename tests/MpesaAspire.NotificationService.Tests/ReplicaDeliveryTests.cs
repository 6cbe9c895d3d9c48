using System.Globalization;
using Microsoft.Extensions.Hosting;
using MpesaAspire.TestSupport;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>
/// Two notification-service instances on one outbox: only the holder of the sender lease sends, so
/// nothing goes out twice and one chat's pace holds; when it stops, the other takes over.
/// </summary>
public sealed class ReplicaDeliveryTests : IAsyncLifetime
{
    private const long PayerChatId = 7_200_001;
    private const long PayerPhone = 254_711_000_002;

    private FakeTelegramBotApi _telegram = null!;
    private TransactionServiceHost _outbox = null!;

    public async Task InitializeAsync()
    {
        _telegram = await FakeTelegramBotApi.StartAsync();
        _outbox = await TransactionServiceHost.StartAsync();
        await _outbox.Client.RegisterUserAsync(new RegisterUserRequest { TelegramChatId = PayerChatId, PhoneNumber = PayerPhone.ToString(CultureInfo.InvariantCulture) });
    }

    public async Task DisposeAsync()
    {
        await _outbox.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public async Task TwoInstancesDeliverEveryReceiptOnceAndKeepTheChatsPace()
    {
        // The fake refuses (429) a second message to a chat within 0.9 s: two senders would trip it.
        _telegram.EnforcedChatInterval = TimeSpan.FromMilliseconds(900);
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        var payments = Enumerable.Range(0, 4).Select(_ => $"ws_CO_RP_{Guid.NewGuid():N}").ToList();

        foreach (var payment in payments)
        {
            await _outbox.RecordSuccessAsync(payment, PayerPhone, 100m);
        }

        foreach (var payment in payments)
        {
            await _outbox.WaitForStatusAsync(payment, NotificationKind.UserReceipt, NotificationStatus.Delivered);
            await _outbox.WaitForStatusAsync(payment, NotificationKind.AdminSuccess, NotificationStatus.Delivered);
        }

        Assert.Equal(payments.Count, _telegram.Messages.Count(m => m.ChatId == PayerChatId));
        Assert.Equal(_telegram.Messages.Count, _telegram.SendMessageCalls);
    }

    [Fact]
    public async Task WhenTheActiveSenderStopsTheOtherInstanceTakesOver()
    {
        var first = await StartAsync();
        var before = $"ws_CO_RP_{Guid.NewGuid():N}";
        await _outbox.RecordSuccessAsync(before, PayerPhone, 100m);
        await _outbox.WaitForStatusAsync(before, NotificationKind.UserReceipt, NotificationStatus.Delivered);

        await using var second = await StartAsync();
        await first.DisposeAsync();
        var after = $"ws_CO_RP_{Guid.NewGuid():N}";
        await _outbox.RecordSuccessAsync(after, PayerPhone, 100m);

        await _outbox.WaitForStatusAsync(after, NotificationKind.UserReceipt, NotificationStatus.Delivered);
        Assert.Equal(2, _telegram.Messages.Count(m => m.ChatId == PayerChatId));
    }

    private Task<NotificationServiceHarness> StartAsync() =>
        NotificationServiceHarness.StartAsync(_telegram, new Dictionary<string, string?>
        {
            ["Delivery:TransactionService"] = _outbox.Address.ToString(),
            ["Delivery:PollInterval"] = "00:00:00.2",
            ["Delivery:SenderLease"] = "00:00:15",
            ["InternalApi:Token"] = TransactionServiceHost.InternalApiToken,
        }, configure: builder =>
        {
            builder.Services.AddInternalApiAuthentication();
            builder.Services.AddOutboxDelivery();
        });
}
