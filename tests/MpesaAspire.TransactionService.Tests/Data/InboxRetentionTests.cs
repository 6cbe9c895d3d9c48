using Microsoft.Extensions.DependencyInjection;
using MpesaAspire.TransactionService.Data;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Data;

[Collection(MariaDbCollection.Name)]
public sealed class InboxRetentionTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await fixture.StoreForClassAsync(GetType());

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task InboxCallbacksOlderThanNinetyDaysArePrunedWhileTheirTransactionsStay()
    {
        var old = Callbacks.NewCheckoutId();
        var recent = Callbacks.NewCheckoutId();
        await _store.Recorder.RecordAsync(Callbacks.Success(old, receivedAt: TestStore.Start - TimeSpan.FromDays(91)), CancellationToken.None);
        await _store.Recorder.RecordAsync(Callbacks.Success(recent, receivedAt: TestStore.Start - TimeSpan.FromDays(89)), CancellationToken.None);

        var pruned = await _store.Services.GetRequiredService<InboxPruner>().PruneOnceAsync(CancellationToken.None);

        Assert.True(pruned >= 1);
        Assert.Equal(0, await InboxRowsAsync(old));
        Assert.Equal(1, await InboxRowsAsync(recent));
        Assert.Equal(1, await _store.ScalarAsync<long>("SELECT COUNT(*) FROM transactions WHERE checkout_request_id = @id", new { id = old }));
    }

    [Fact]
    public async Task OnePaymentKeepsAtMostTwentyDistinctBodiesAndCountsTheRest()
    {
        var id = Callbacks.NewCheckoutId();
        var first = Callbacks.Success(id);
        await _store.Recorder.RecordAsync(first, CancellationToken.None);
        for (var i = 0; i < 30; i++)
        {
            // Variations of one id (a flood of forged or garbled repeats): each body is new.
            await _store.Recorder.RecordAsync(Callbacks.Failure(id, "1032", $"Request cancelled by user ({i})"), CancellationToken.None);
        }

        await _store.Recorder.RecordAsync(first, CancellationToken.None);

        Assert.Equal(20, await InboxRowsAsync(id));
        Assert.Equal(11, await _store.ScalarAsync<long>(
            "SELECT SUM(overflow_count) FROM stk_callback_inbox WHERE checkout_request_id = @id", new { id }));
        Assert.Equal(2, await _store.ScalarAsync<long>(
            "SELECT delivery_count FROM stk_callback_inbox WHERE checkout_request_id = @id ORDER BY id LIMIT 1", new { id }));
        Assert.Equal("Success", await _store.ScalarAsync<string>("SELECT status FROM transactions WHERE checkout_request_id = @id", new { id }));
    }

    private Task<long> InboxRowsAsync(string checkoutRequestId) =>
        _store.ScalarAsync<long>("SELECT COUNT(*) FROM stk_callback_inbox WHERE checkout_request_id = @id", new { id = checkoutRequestId });
}
