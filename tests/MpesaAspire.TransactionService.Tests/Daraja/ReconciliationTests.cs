using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MpesaAspire.TestSupport;
using MpesaAspire.TransactionService.Daraja;
using MpesaAspire.TransactionService.Data;
using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Daraja;

/// <summary>The reconciler's rounds, driven directly with a fake clock against the fake Daraja.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class ReconciliationTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private FakeDarajaApi _daraja = null!;
    private TestStore _store = null!;
    private DarajaHarness _service = null!;

    public async Task InitializeAsync()
    {
        _daraja = await FakeDarajaApi.StartAsync(_time);
        _daraja.DefaultScenario = FakeStkScenario.SuccessWithoutCallback with { CompletesAfter = TimeSpan.FromSeconds(30) };
        _store = await fixture.CreateStoreAsync(migrate: false);
        _service = await DarajaHarness.CreateAsync(_store.ConnectionString, _daraja, _time);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _daraja.DisposeAsync();
    }

    [Fact]
    public async Task NothingIsQueriedBeforeAMinuteHasPassed()
    {
        await Push("order-early");
        _time.Advance(TimeSpan.FromSeconds(50));

        await _service.Reconciler.RunRoundAsync(CancellationToken.None);

        Assert.Equal(0, _daraja.QueryCalls);
    }

    [Fact]
    public async Task AQueryConfirmedSuccessIsNotifiedOnceAndALaterCallbackOnlyAddsTheReceipt()
    {
        var started = await Push("order-1");
        _time.Advance(TimeSpan.FromSeconds(61));

        await _service.Reconciler.RunRoundAsync(CancellationToken.None);

        var confirmed = await _service.Transactions.GetAsync(started.CheckoutRequestId, CancellationToken.None);
        Assert.Equal(PaymentStatus.Success, confirmed!.Status);
        Assert.Null(confirmed.MpesaReceiptNumber);
        Assert.Equal(["AdminSuccess", "UserReceipt"], await QueuedKindsAsync(started.CheckoutRequestId));

        var recorder = _service.Services.GetRequiredService<StkCallbackRecorder>();
        var late = await recorder.RecordAsync(
            Callbacks.Success(started.CheckoutRequestId, amount: 150m, receipt: "QRY1LATE01", phone: "254712000001"), CancellationToken.None);

        Assert.Equal(CallbackOutcome.Applied, late.Outcome);
        Assert.Equal("QRY1LATE01", late.Transaction.MpesaReceiptNumber);
        Assert.NotNull(late.Transaction.TransactionDate);
        Assert.Empty(late.QueuedNotifications);
        Assert.Equal(["AdminSuccess", "UserReceipt"], await QueuedKindsAsync(started.CheckoutRequestId));
    }

    [Fact]
    public async Task APaymentStillBeingProcessedADayLaterNeedsReview()
    {
        _daraja.DefaultScenario = FakeStkScenario.SuccessWithoutCallback with { CompletesAfter = TimeSpan.FromDays(3) };
        var started = await Push("order-2");

        _time.Advance(TimeSpan.FromSeconds(61));
        await _service.Reconciler.RunRoundAsync(CancellationToken.None);
        var stillPending = await _service.Transactions.GetAsync(started.CheckoutRequestId, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(25));
        await _service.Reconciler.RunRoundAsync(CancellationToken.None);
        var later = await _service.Transactions.GetAsync(started.CheckoutRequestId, CancellationToken.None);

        Assert.Equal(PaymentStatus.Pending, stillPending!.Status);
        Assert.Equal(PaymentStatus.NeedsReview, later!.Status);
        Assert.Equal(2, _daraja.QueryCalls);
    }

    [Fact]
    public async Task SpikeArrestLeavesThePaymentPendingForTheNextQuery()
    {
        var started = await Push("order-3");
        _daraja.RefuseQueriesWithTooManyRequests(1);
        _time.Advance(TimeSpan.FromSeconds(61));

        await _service.Reconciler.RunRoundAsync(CancellationToken.None);
        var refused = await _service.Transactions.GetAsync(started.CheckoutRequestId, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(3));
        await _service.Reconciler.RunRoundAsync(CancellationToken.None);
        var confirmed = await _service.Transactions.GetAsync(started.CheckoutRequestId, CancellationToken.None);

        Assert.Equal(PaymentStatus.Pending, refused!.Status);
        Assert.Equal(PaymentStatus.Success, confirmed!.Status);
    }

    [Fact]
    public async Task TwoReplicasNeverQueryTheSamePaymentInOneRound()
    {
        for (var i = 0; i < 6; i++)
        {
            await Push($"order-r{i}", phone: $"2547120000{i:D2}");
        }

        await using var replica = await DarajaHarness.CreateAsync(_store.ConnectionString, _daraja, _time);
        _time.Advance(TimeSpan.FromSeconds(61));

        var claimed = await Task.WhenAll(
            _service.Reconciler.RunRoundAsync(CancellationToken.None), replica.Reconciler.RunRoundAsync(CancellationToken.None));

        Assert.Equal(6, claimed.Sum());
        Assert.Equal(6, _daraja.QueryCalls);
    }

    [Fact]
    public void TheGapBetweenQueriesGrowsUpToHourly()
    {
        var gaps = Enumerable.Range(1, 8).Select(_service.Reconciler.Gap).ToList();

        Assert.Equal(TimeSpan.FromMinutes(2), gaps[0]);
        Assert.Equal(TimeSpan.FromMinutes(4), gaps[1]);
        Assert.Equal(TimeSpan.FromHours(1), gaps[^1]);
        Assert.Equal(gaps.Order(), gaps);
    }

    private Task<StkPushStarted> Push(string key, string phone = "254712000001") =>
        _service.Pushes.StartAsync(new StkPushOrder
        {
            PhoneNumber = phone,
            Amount = 150,
            AccountReference = "INV-1",
            Description = "Order",
            TelegramChatId = 5151,
            IdempotencyKey = key,
        }, CancellationToken.None);

    private Task<IReadOnlyList<string>> QueuedKindsAsync(string checkoutRequestId) => _store.QueuedKindsAsync(checkoutRequestId);
}
