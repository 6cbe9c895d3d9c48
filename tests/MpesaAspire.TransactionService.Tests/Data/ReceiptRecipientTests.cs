using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Data;

[Collection(MariaDbCollection.Name)]
public sealed class ReceiptRecipientTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private static int _nextSubscriber = 100_000;

    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await fixture.StoreForClassAsync(GetType());

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("2547{0}")]
    [InlineData("+2547{0}")]
    [InlineData("07{0}")]
    public async Task APayerFoundByPhoneGetsTheReceiptWhicheverWayTheirNumberWasStored(string storedFormat)
    {
        var subscriber = NextSubscriber();
        var chat = 4_000_000_000L + Interlocked.Increment(ref _nextSubscriber);
        // Stored the way the original bot may have stored it, bypassing the normalising registration.
        await _store.ExecuteAsync(
            "INSERT INTO users (telegram_chat_id, phone_number, first_name) VALUES (@chat, @phone, 'Achieng')",
            new { chat, phone = string.Format(System.Globalization.CultureInfo.InvariantCulture, storedFormat, subscriber) });

        var recording = await _store.Recorder.RecordAsync(
            Callbacks.Success(Callbacks.NewCheckoutId(), phone: "2547" + subscriber), CancellationToken.None);

        var receipt = Assert.Single(recording.QueuedNotifications, n => n.Kind == OutboxKind.UserReceipt);
        Assert.Equal(chat, receipt.ChatId);
    }

    [Fact]
    public async Task TheChatTheStkPushWasStartedFromWinsOverAPhoneMatch()
    {
        var subscriber = NextSubscriber();
        await _store.Users.RegisterAsync(new UserRegistration { TelegramChatId = 6101, PhoneNumber = "2547" + subscriber }, CancellationToken.None);
        var id = Callbacks.NewCheckoutId();
        await _store.Transactions.RegisterPendingAsync(
            new PendingRegistration
            {
                CheckoutRequestId = id, MerchantRequestId = "", PhoneNumber = "2547" + subscriber, Amount = 1000m, TelegramChatId = 6102,
            },
            CancellationToken.None);

        var recording = await _store.Recorder.RecordAsync(Callbacks.Success(id, phone: "2547" + subscriber), CancellationToken.None);

        Assert.Equal(6102, Assert.Single(recording.QueuedNotifications, n => n.Kind == OutboxKind.UserReceipt).ChatId);
    }

    [Fact]
    public async Task AnInactiveUserGetsNoReceipt()
    {
        var subscriber = NextSubscriber();
        await _store.Users.RegisterAsync(
            new UserRegistration { TelegramChatId = 6201, PhoneNumber = "2547" + subscriber, IsActive = false }, CancellationToken.None);

        var recording = await _store.Recorder.RecordAsync(
            Callbacks.Success(Callbacks.NewCheckoutId(), phone: "2547" + subscriber), CancellationToken.None);

        Assert.Equal([OutboxKind.AdminSuccess], recording.QueuedNotifications.Select(n => n.Kind));
    }

    [Fact]
    public async Task AFailedPaymentSendsNoReceiptEvenToAKnownPayer()
    {
        var subscriber = NextSubscriber();
        await _store.Users.RegisterAsync(new UserRegistration { TelegramChatId = 6301, PhoneNumber = "2547" + subscriber }, CancellationToken.None);
        var id = Callbacks.NewCheckoutId();
        await _store.Transactions.RegisterPendingAsync(
            new PendingRegistration { CheckoutRequestId = id, MerchantRequestId = "", PhoneNumber = "2547" + subscriber, Amount = 10m },
            CancellationToken.None);

        var recording = await _store.Recorder.RecordAsync(Callbacks.Failure(id, "2001", "The initiator information is invalid."), CancellationToken.None);

        Assert.Equal([OutboxKind.AdminFailure], recording.QueuedNotifications.Select(n => n.Kind));
    }

    private static string NextSubscriber() =>
        Interlocked.Increment(ref _nextSubscriber).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
}
