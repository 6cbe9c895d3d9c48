using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Data;

/// <summary>Each test has a database of its own: the history lists every transaction.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class TransactionHistoryTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await fixture.CreateStoreAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task PagesWalkTheWholeHistoryNewestFirstWithoutSkippingOrRepeating()
    {
        List<string> created = [];
        for (var i = 0; i < 23; i++)
        {
            created.Add(await RegisterAsync("254708374149"));
            // Several per second: the TIMESTAMP column ties, the id breaks the tie.
            if (i % 3 == 0)
            {
                _store.Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        List<string> seen = [];
        TransactionCursor? after = null;
        var pages = 0;
        do
        {
            var page = await _store.Transactions.ListAsync(new TransactionQuery { PageSize = 5, After = after }, CancellationToken.None);
            seen.AddRange(page.Transactions.Select(t => t.CheckoutRequestId));
            after = page.Next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(5, pages);
        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Theory]
    [InlineData("254711222333")]
    [InlineData("+254711222333")]
    [InlineData("0711222333")]
    public async Task APhoneInAnyFormatFindsThatPhonesTransactions(string filter)
    {
        var mine = await RegisterAsync("0711222333");
        await RegisterAsync("254799888777");
        // A row of the original server that stored the number with a plus.
        await _store.ExecuteAsync("""
            INSERT INTO transactions (checkout_request_id, merchant_request_id, phone_number, status, created_at)
            VALUES ('ws_CO_legacy_plus', 'm', '+254711222333', 'Pending', '2025-03-01 08:00:00')
            """);

        var page = await _store.Transactions.ListAsync(new TransactionQuery { PhoneNumber = filter }, CancellationToken.None);

        Assert.Equal([mine, "ws_CO_legacy_plus"], page.Transactions.Select(t => t.CheckoutRequestId));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task StatusAndTimeRangeNarrowTheHistory()
    {
        var early = await RegisterAsync("254708374149");
        await _store.Recorder.RecordAsync(Callbacks.Success(early), CancellationToken.None);
        _store.Time.Advance(TimeSpan.FromHours(1));
        var from = _store.Time.GetUtcNow().UtcDateTime;
        var paid = await RegisterAsync("254708374149");
        await _store.Recorder.RecordAsync(Callbacks.Success(paid), CancellationToken.None);
        var cancelled = await RegisterAsync("254708374149");
        await _store.Recorder.RecordAsync(Callbacks.Failure(cancelled, "1032", "Request cancelled by user"), CancellationToken.None);
        var waiting = await RegisterAsync("254708374149");
        _store.Time.Advance(TimeSpan.FromHours(1));
        var to = _store.Time.GetUtcNow().UtcDateTime;
        await RegisterAsync("254708374149");

        async Task<IEnumerable<string>> List(PaymentStatus? status) =>
            (await _store.Transactions.ListAsync(new TransactionQuery { Status = status, CreatedFrom = from, CreatedTo = to }, CancellationToken.None))
            .Transactions.Select(t => t.CheckoutRequestId);

        Assert.Equal([paid], await List(PaymentStatus.Success));
        Assert.Equal([cancelled], await List(PaymentStatus.Cancelled));
        Assert.Equal([waiting], await List(PaymentStatus.Pending));
        Assert.Equal([waiting, cancelled, paid], await List(null));
    }

    private async Task<string> RegisterAsync(string phone)
    {
        var id = Callbacks.NewCheckoutId();
        await _store.Transactions.RegisterPendingAsync(
            new PendingRegistration
            {
                CheckoutRequestId = id, MerchantRequestId = "m", PhoneNumber = PhoneNumbers.Normalize(phone)!, Amount = 100m,
            },
            CancellationToken.None);
        return id;
    }
}
