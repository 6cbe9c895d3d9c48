using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MpesaAspire.TestSupport;
using MpesaAspire.TransactionService.Daraja;
using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Api;
using MpesaAspire.TransactionService.Tests.Support;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Tests.Verification;

/// <summary>
/// <c>Payments:Verification</c> = query (the default once Daraja is configured): a success callback is
/// held, the payment stays Pending, and only STK Push Query's answer decides. Driven round by round
/// with a fake clock against the fake Daraja.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class QueryVerificationTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private const string Phone = "254712000001";
    private const long Chat = 5151;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private FakeDarajaApi _daraja = null!;
    private TestStore _store = null!;
    private DarajaHarness _service = null!;

    public async Task InitializeAsync()
    {
        _daraja = await FakeDarajaApi.StartAsync(_time);
        _store = await fixture.CreateStoreAsync(migrate: false);
        _service = await DarajaHarness.CreateAsync(
            _store.ConnectionString, _daraja, _time, new Dictionary<string, string?> { ["Payments:VerificationTimeout"] = "00:05:00" });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _daraja.DisposeAsync();
    }

    [Fact]
    public async Task ASuccessIsHeldPendingUntilTheQueryConfirmsItThenPaidWithItsReceipt()
    {
        _daraja.DefaultScenario = FakeStkScenario.SuccessWithoutCallback;
        var started = await Push("held-1");
        _time.Advance(TimeSpan.FromSeconds(2));

        var held = await _service.Recorder.RecordAsync(Callbacks.Success(started.CheckoutRequestId, amount: 150m, receipt: "HELD000001", phone: Phone), CancellationToken.None);

        Assert.Equal(CallbackOutcome.Held, held.Outcome);
        Assert.Equal(PaymentStatus.Pending, held.Transaction.Status);
        Assert.True(held.Transaction.AwaitingQuery);
        Assert.Empty(held.QueuedNotifications);

        Assert.Equal(1, await _service.Reconciler.RunRoundAsync(CancellationToken.None));

        var paid = await GetAsync(started.CheckoutRequestId);
        Assert.Equal(PaymentStatus.Success, paid.Status);
        Assert.Equal("HELD000001", paid.MpesaReceiptNumber);
        Assert.Equal(150m, paid.Amount);
        Assert.False(paid.AwaitingQuery);
        Assert.Equal(["AdminSuccess", "UserReceipt"], await QueuedKindsAsync(started.CheckoutRequestId));
        Assert.Equal(["Applied", "Applied"], await InboxOutcomesAsync(started.CheckoutRequestId));
    }

    [Fact]
    public async Task AForgedSuccessTheQueryContradictsTakesTheRealResultWithoutAReceipt()
    {
        _daraja.DefaultScenario = FakeStkScenario.Cancelled with { Callback = FakeCallbackMode.Never };
        var started = await Push("forged-1");
        _time.Advance(TimeSpan.FromSeconds(2));
        await _service.Recorder.RecordAsync(Callbacks.Success(started.CheckoutRequestId, amount: 150m, receipt: "FORGED0001", phone: Phone), CancellationToken.None);

        await _service.Reconciler.RunRoundAsync(CancellationToken.None);

        var cancelled = await GetAsync(started.CheckoutRequestId);
        Assert.Equal(PaymentStatus.Cancelled, cancelled.Status);
        Assert.Equal("1032", cancelled.ResultCode);
        Assert.Null(cancelled.MpesaReceiptNumber);
        Assert.Contains("refuted by STK Push Query", cancelled.VerificationReason, StringComparison.Ordinal);
        Assert.Equal(["AdminFailure"], await QueuedKindsAsync(started.CheckoutRequestId));
        Assert.Equal(["Refuted", "Applied"], await InboxOutcomesAsync(started.CheckoutRequestId));
    }

    [Fact]
    public async Task TheGenuineCancellationArrivingWhileAForgedSuccessIsHeldApplies()
    {
        _daraja.DefaultScenario = FakeStkScenario.Cancelled with { Callback = FakeCallbackMode.Never, CompletesAfter = TimeSpan.FromSeconds(30) };
        var started = await Push("forged-2");
        await _service.Recorder.RecordAsync(Callbacks.Success(started.CheckoutRequestId, amount: 150m, receipt: "FORGED0002", phone: Phone), CancellationToken.None);
        await _service.Reconciler.RunRoundAsync(CancellationToken.None);

        var genuine = await _service.Recorder.RecordAsync(
            Callbacks.Failure(started.CheckoutRequestId, "1032", "Request cancelled by user"), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(10));
        await _service.Reconciler.RunRoundAsync(CancellationToken.None);

        Assert.Equal(CallbackOutcome.Applied, genuine.Outcome);
        var cancelled = await GetAsync(started.CheckoutRequestId);
        Assert.Equal(PaymentStatus.Cancelled, cancelled.Status);
        Assert.Null(cancelled.MpesaReceiptNumber);
        Assert.Equal(["AdminFailure"], await QueuedKindsAsync(started.CheckoutRequestId));
        Assert.Equal(1, _daraja.QueryCalls);
    }

    [Fact]
    public async Task ASuccessForAnIdDarajaDoesNotKnowIsUnverifiedAndNotQueriedAgain()
    {
        var id = Callbacks.NewCheckoutId();
        await _service.Recorder.RecordAsync(Callbacks.Success(id), CancellationToken.None);

        await _service.Reconciler.RunRoundAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(2));
        await _service.Reconciler.RunRoundAsync(CancellationToken.None);

        var unverified = await GetAsync(id);
        Assert.Equal(PaymentStatus.Unverified, unverified.Status);
        Assert.Contains("Daraja does not know this CheckoutRequestID", unverified.VerificationReason, StringComparison.Ordinal);
        Assert.Equal("NLJ7RT61SV", unverified.MpesaReceiptNumber);
        Assert.False(unverified.AwaitingQuery);
        Assert.Equal(["AdminUnverified"], await QueuedKindsAsync(id));
        Assert.Equal(1, _daraja.QueryCalls);
    }

    [Fact]
    public async Task ASuccessTheQueriesCannotConfirmInTimeIsUnverifiedThenPromotedOnceWhenAQueryConfirmsIt()
    {
        _daraja.DefaultScenario = FakeStkScenario.SuccessWithoutCallback with { CompletesAfter = TimeSpan.FromMinutes(25) };
        var started = await Push("slow-1");
        await _service.Recorder.RecordAsync(Callbacks.Success(started.CheckoutRequestId, amount: 150m, receipt: "SLOW000001", phone: Phone), CancellationToken.None);

        await _service.Reconciler.RunRoundAsync(CancellationToken.None);
        var stillHeld = await GetAsync(started.CheckoutRequestId);
        _time.Advance(TimeSpan.FromMinutes(6));
        await _service.Reconciler.RunRoundAsync(CancellationToken.None);
        var unverified = await GetAsync(started.CheckoutRequestId);
        _time.Advance(TimeSpan.FromMinutes(20));
        await _service.Reconciler.RunRoundAsync(CancellationToken.None);
        var paid = await GetAsync(started.CheckoutRequestId);

        Assert.Equal(PaymentStatus.Pending, stillHeld.Status);
        Assert.Equal(PaymentStatus.Unverified, unverified.Status);
        Assert.Contains("could not be confirmed", unverified.VerificationReason, StringComparison.Ordinal);
        Assert.True(unverified.AwaitingQuery);
        Assert.Equal(PaymentStatus.Success, paid.Status);
        Assert.Equal("SLOW000001", paid.MpesaReceiptNumber);
        Assert.Equal(["AdminSuccess", "AdminUnverified", "UserReceipt"], await QueuedKindsAsync(started.CheckoutRequestId));
        Assert.Equal(3, _daraja.QueryCalls);
    }

    [Fact]
    public async Task AnOperatorCanConfirmASuccessStillHeldForItsQuery()
    {
        _daraja.DefaultScenario = FakeStkScenario.SuccessWithoutCallback with { CompletesAfter = TimeSpan.FromMinutes(25) };
        var started = await Push("operator-1");
        await _service.Recorder.RecordAsync(Callbacks.Success(started.CheckoutRequestId, amount: 150m, receipt: "OPER000001", phone: Phone), CancellationToken.None);

        var (result, confirmed) = await _service.Recorder.ConfirmAsync(started.CheckoutRequestId, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(30));
        await _service.Reconciler.RunRoundAsync(CancellationToken.None);

        Assert.Equal(OperatorChangeResult.Applied, result);
        Assert.Equal(PaymentStatus.Success, confirmed!.Transaction.Status);
        Assert.Equal("OPER000001", confirmed.Transaction.MpesaReceiptNumber);
        Assert.Equal(["AdminSuccess", "UserReceipt"], await QueuedKindsAsync(started.CheckoutRequestId));
        Assert.Equal(0, _daraja.QueryCalls);
    }

    [Fact]
    public void QueryVerificationWithoutDarajaStopsTheServiceNamingTheSetting()
    {
        using var factory = new TransactionServiceFactory(_store.ConnectionString, new Dictionary<string, string?>
        {
            ["Payments:Verification"] = "query",
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Payments:Verification is 'query' but Daraja is not configured", error.Message, StringComparison.Ordinal);
    }

    private async Task<TransactionRecord> GetAsync(string id) =>
        (await _service.Transactions.GetAsync(id, CancellationToken.None))!;

    private Task<StkPushStarted> Push(string key) =>
        _service.Pushes.StartAsync(new StkPushOrder
        {
            PhoneNumber = Phone,
            Amount = 150,
            AccountReference = "INV-1",
            Description = "Order",
            TelegramChatId = Chat,
            IdempotencyKey = key,
        }, CancellationToken.None);

    private Task<IReadOnlyList<string>> QueuedKindsAsync(string checkoutRequestId) => _store.QueuedKindsAsync(checkoutRequestId);

    private async Task<List<string>> InboxOutcomesAsync(string checkoutRequestId)
    {
        await using var connection = new MySqlConnection(_store.ConnectionString);
        var outcomes = await connection.QueryAsync<string>(
            "SELECT outcome FROM stk_callback_inbox WHERE checkout_request_id = @checkoutRequestId ORDER BY id", new { checkoutRequestId });
        return [.. outcomes];
    }
}
