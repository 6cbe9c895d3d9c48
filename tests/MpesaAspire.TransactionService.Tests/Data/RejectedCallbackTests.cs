using Microsoft.Extensions.DependencyInjection;
using MpesaAspire.TransactionService.Data;
using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Data;

[Collection(MariaDbCollection.Name)]
public sealed class RejectedCallbackTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await fixture.StoreForClassAsync(GetType());

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ARefusedBodyIsKeptRawInTheInboxMarkedRejectedWithItsReasonAndRecordsNothing()
    {
        var id = Callbacks.NewCheckoutId();
        var body = "{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"" + id + "\",\"ResultCode\":0,\"CallbackMetadata\":{\"Item\":[{\"Name\":\"Amount\",\"Value\":\"lots\"}]}}}}";
        var inbox = _store.Services.GetRequiredService<RejectedCallbackInbox>();
        var refused = new RejectedCallback
        {
            RawPayload = body,
            Reason = "refused_by_transaction_service: amount 'lots' is not a decimal number.",
            CheckoutRequestId = id,
            ReceivedAt = TestStore.Start,
        };

        var first = await inbox.KeepAsync(refused, CancellationToken.None);
        var again = await inbox.KeepAsync(refused with { ReceivedAt = TestStore.Start.AddMinutes(1) }, CancellationToken.None);

        Assert.Equal(first, again);
        var row = Assert.Single(await _store.QueryAsync<(string Outcome, string RejectionReason, string RawPayload, int DeliveryCount)>(
            "SELECT outcome, rejection_reason, raw_payload, delivery_count FROM stk_callback_inbox WHERE checkout_request_id = @id", new { id }));
        Assert.Equal("Rejected", row.Outcome);
        Assert.Equal(refused.Reason, row.RejectionReason);
        Assert.Equal(body, row.RawPayload);
        Assert.Equal(2, row.DeliveryCount);
        Assert.Equal(0, await _store.ScalarAsync<long>("SELECT COUNT(*) FROM transactions WHERE checkout_request_id = @id", new { id }));
    }
}
