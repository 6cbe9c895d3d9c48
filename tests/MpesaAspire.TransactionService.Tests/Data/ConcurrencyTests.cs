using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Data;

[Collection(MariaDbCollection.Name)]
public sealed class ConcurrencyTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await fixture.StoreForClassAsync(GetType());

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TwentyIdenticalCallbacksAtOnceMakeOneRowAndOneSetOfNotifications()
    {
        var id = Callbacks.NewCheckoutId();
        await _store.Users.RegisterAsync(new UserRegistration { TelegramChatId = 8801, PhoneNumber = "254711000001" }, CancellationToken.None);
        var callback = Callbacks.Success(id, phone: "254711000001");

        var recordings = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => _store.Recorder.RecordAsync(callback, CancellationToken.None))));

        Assert.Single(recordings, r => r.Outcome == CallbackOutcome.Applied);
        Assert.Equal(19, recordings.Count(r => r.Outcome == CallbackOutcome.Duplicate));
        Assert.Equal(2, recordings.Sum(r => r.QueuedNotifications.Count));
        Assert.Equal(1, await _store.ScalarAsync<long>("SELECT COUNT(*) FROM transactions WHERE checkout_request_id = @id", new { id }));
        var kinds = await _store.QueryAsync<string>(
            "SELECT o.kind FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id WHERE t.checkout_request_id = @id ORDER BY o.kind",
            new { id });
        Assert.Equal(["AdminSuccess", "UserReceipt"], kinds);
        var inbox = await _store.QueryAsync<(string, int)>(
            "SELECT outcome, delivery_count FROM stk_callback_inbox WHERE checkout_request_id = @id", new { id });
        Assert.Equal([("Applied", 20)], inbox);
    }

    [Fact]
    public async Task TwoHundredDifferentCallbacksAtOnceAreAllRecorded()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => Callbacks.NewCheckoutId()).ToList();

        var recordings = await Task.WhenAll(ids.Select((id, i) => Task.Run(() => _store.Recorder.RecordAsync(
            i % 3 == 0 ? Callbacks.Failure(id, "1032", "Request cancelled by user") : Callbacks.Success(id, receipt: $"R{i:D9}"),
            CancellationToken.None))));

        Assert.All(recordings, r => Assert.Equal(CallbackOutcome.Applied, r.Outcome));
        Assert.Equal(200, await _store.ScalarAsync<long>(
            "SELECT COUNT(*) FROM transactions WHERE checkout_request_id IN @ids AND status IN ('Success', 'Cancelled')", new { ids }));
        Assert.Equal(200, await _store.ScalarAsync<long>(
            "SELECT COUNT(*) FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id WHERE t.checkout_request_id IN @ids",
            new { ids }));
        Assert.Equal(200, await _store.ScalarAsync<long>("SELECT COUNT(*) FROM stk_callback_inbox WHERE checkout_request_id IN @ids", new { ids }));
    }

    [Fact]
    public async Task ACallbackRacingItsOwnRegistrationEndsUpAppliedWithTheRegisteredDetails()
    {
        var ids = Enumerable.Range(0, 30).Select(_ => Callbacks.NewCheckoutId()).ToList();

        await Task.WhenAll(ids.SelectMany(id => new Task[]
        {
            Task.Run(() => _store.Recorder.RecordAsync(Callbacks.Success(id, amount: 50m), CancellationToken.None)),
            Task.Run(() => _store.Transactions.RegisterPendingAsync(
                new PendingRegistration
                {
                    CheckoutRequestId = id, MerchantRequestId = "m-1", PhoneNumber = "254708374149", Amount = 50m,
                    AccountReference = "RACE", TelegramChatId = 8802,
                },
                CancellationToken.None)),
        }));

        var rows = await _store.QueryAsync<(string, string, long?, string)>(
            "SELECT status, account_reference, telegram_chat_id, mpesa_receipt_number FROM transactions WHERE checkout_request_id IN @ids",
            new { ids });
        Assert.Equal(30, rows.Count);
        Assert.All(rows, r => Assert.Equal(("Success", "RACE", (long?)8802, "NLJ7RT61SV"), r));
        // Whichever came first, every payer gets exactly one receipt.
        Assert.Equal(30, await _store.ScalarAsync<long>("""
            SELECT COUNT(*) FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id
            WHERE t.checkout_request_id IN @ids AND o.kind = 'UserReceipt' AND o.chat_id = 8802
            """, new { ids }));
    }
}
