using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Data;

[Collection(MariaDbCollection.Name)]
public sealed class PendingRegistrationTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await fixture.StoreForClassAsync(GetType());

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RegisteringAnStkPushCreatesAPendingTransaction()
    {
        var id = Callbacks.NewCheckoutId();

        var result = await _store.Transactions.RegisterPendingAsync(Registration(id, chat: 9001), CancellationToken.None);

        Assert.True(result.Created);
        var transaction = result.Transaction;
        Assert.Equal(PaymentStatus.Pending, transaction.Status);
        Assert.Equal("29115-34620561-1", transaction.MerchantRequestId);
        Assert.Equal("254708374149", transaction.PhoneNumber);
        Assert.Equal(1500m, transaction.Amount);
        Assert.Equal(1500m, transaction.RequestedAmount);
        Assert.Equal("INV-42", transaction.AccountReference);
        Assert.Equal(9001, transaction.TelegramChatId);
        Assert.Null(transaction.ResultCode);
        Assert.Equal(TestStore.Start.UtcDateTime, transaction.CreatedAt);
    }

    [Fact]
    public async Task RegisteringTheSameStkPushAgainChangesNothing()
    {
        var id = Callbacks.NewCheckoutId();
        await _store.Transactions.RegisterPendingAsync(Registration(id, chat: 9002), CancellationToken.None);

        var again = await _store.Transactions.RegisterPendingAsync(
            Registration(id, chat: 9999) with { Amount = 1m, AccountReference = "OTHER" }, CancellationToken.None);

        Assert.False(again.Created);
        Assert.Equal(9002, again.Transaction.TelegramChatId);
        Assert.Equal(1500m, again.Transaction.Amount);
        Assert.Equal("INV-42", again.Transaction.AccountReference);
        Assert.Equal(1, await _store.ScalarAsync<long>("SELECT COUNT(*) FROM transactions WHERE checkout_request_id = @id", new { id }));
    }

    [Fact]
    public async Task APaymentWhoseCallbackCameFirstGetsItsReceiptOnceTheStkPushIsRegistered()
    {
        var id = Callbacks.NewCheckoutId();
        var recorded = await _store.Recorder.RecordAsync(Callbacks.Success(id, phone: "254722000333"), CancellationToken.None);
        Assert.DoesNotContain(recorded.QueuedNotifications, n => n.Kind == OutboxKind.UserReceipt);

        var registered = await _store.Transactions.RegisterPendingAsync(Registration(id, chat: 9003), CancellationToken.None);

        Assert.False(registered.Created);
        Assert.Equal(PaymentStatus.Success, registered.Transaction.Status);
        Assert.Equal(1000m, registered.Transaction.Amount);
        Assert.Equal(1500m, registered.Transaction.RequestedAmount);
        Assert.Equal("254722000333", registered.Transaction.PhoneNumber);
        Assert.Equal("INV-42", registered.Transaction.AccountReference);
        Assert.Equal(9003, registered.Transaction.TelegramChatId);
        var receipts = await _store.QueryAsync<(long?, string)>("""
            SELECT o.chat_id, o.status FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id
            WHERE t.checkout_request_id = @id AND o.kind = 'UserReceipt'
            """, new { id });
        Assert.Equal([(9003L, "Pending")], receipts);

        // Registering once more does not queue a second receipt.
        await _store.Transactions.RegisterPendingAsync(Registration(id, chat: 9003), CancellationToken.None);
        Assert.Equal(1, await _store.ScalarAsync<long>("""
            SELECT COUNT(*) FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id
            WHERE t.checkout_request_id = @id AND o.kind = 'UserReceipt'
            """, new { id }));
    }

    [Fact]
    public async Task AFailedPaymentRegisteredLateGetsNoReceipt()
    {
        var id = Callbacks.NewCheckoutId();
        await _store.Recorder.RecordAsync(Callbacks.Failure(id, "1032", "Request cancelled by user"), CancellationToken.None);

        var registered = await _store.Transactions.RegisterPendingAsync(Registration(id, chat: 9004), CancellationToken.None);

        Assert.Equal(PaymentStatus.Cancelled, registered.Transaction.Status);
        Assert.Equal(1500m, registered.Transaction.Amount);
        Assert.Equal(0, await _store.ScalarAsync<long>("""
            SELECT COUNT(*) FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id
            WHERE t.checkout_request_id = @id AND o.kind = 'UserReceipt'
            """, new { id }));
    }

    private static PendingRegistration Registration(string id, long? chat) => new()
    {
        CheckoutRequestId = id,
        MerchantRequestId = "29115-34620561-1",
        PhoneNumber = "254708374149",
        Amount = 1500m,
        AccountReference = "INV-42",
        TelegramChatId = chat,
    };
}
