using Grpc.Core;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MpesaAspire.TestSupport;
using MpesaAspire.Transactions.V1;
using MpesaAspire.TransactionService.Daraja;
using MpesaAspire.TransactionService.Tests.Api;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Daraja;

/// <summary>Starting pushes: idempotency keys, the pending row, and the service without Daraja.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class StkPushTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private FakeDarajaApi _daraja = null!;
    private TestStore _store = null!;
    private DarajaHarness _service = null!;

    public async Task InitializeAsync()
    {
        _daraja = await FakeDarajaApi.StartAsync(_time);
        _daraja.DefaultScenario = FakeStkScenario.Success with { Callback = FakeCallbackMode.Never };
        _store = await fixture.CreateStoreAsync(migrate: false);
        _service = await DarajaHarness.CreateAsync(_store.ConnectionString, _daraja, _time);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _daraja.DisposeAsync();
    }

    [Fact]
    public async Task ThePendingPaymentIsStoredWithEverythingTheCallbackLacksBeforeTheCallerHearsOfThePush()
    {
        var started = await _service.Pushes.StartAsync(Order("order-1"), CancellationToken.None);

        var stored = await _service.Transactions.GetAsync(started.CheckoutRequestId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(PaymentStatus.Pending, stored.Status);
        Assert.Equal(150m, stored.Amount);
        Assert.Equal("254712000001", stored.PhoneNumber);
        Assert.Equal("INV-7", stored.AccountReference);
        Assert.Equal(4242, stored.TelegramChatId);
    }

    [Fact]
    public async Task ConcurrentCallsWithOneKeyPushOnceAndAnswerTheSameCheckoutRequestId()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _service.Pushes.StartAsync(Order("order-2"), CancellationToken.None)));

        Assert.Single(_daraja.Pushes);
        Assert.Single(answers, a => a.Created);
        Assert.Single(answers.Select(a => a.CheckoutRequestId).Distinct());
    }

    [Fact]
    public async Task AKeyUsedForAnotherPaymentIsRefused()
    {
        await _service.Pushes.StartAsync(Order("order-3"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<StkPushException>(() =>
            _service.Pushes.StartAsync(Order("order-3") with { Amount = 999 }, CancellationToken.None));

        Assert.Equal(StkPushRefusal.KeyUsedForAnotherPayment, error.Refusal);
        Assert.Single(_daraja.Pushes);
    }

    [Fact]
    public async Task APushDarajaRefusedCanBeTriedAgainWithTheSameKey()
    {
        _daraja.ShortCode = "600000";
        await Assert.ThrowsAsync<DarajaException>(() => _service.Pushes.StartAsync(Order("order-4"), CancellationToken.None));
        _daraja.ShortCode = FakeDarajaApi.SandboxShortCode;

        var started = await _service.Pushes.StartAsync(Order("order-4"), CancellationToken.None);

        Assert.True(started.Created);
        Assert.Single(_daraja.Pushes);
    }

    [Fact]
    public async Task WithoutDarajaCredentialsPushesAreRefusedAndTheHealthAnswerSaysNotConfigured()
    {
        using var factory = new TransactionServiceFactory(_store.ConnectionString);
        var client = new TransactionsClient(factory.CreateChannel().CreateCallInvoker());
        await ServiceHealth.WaitUntilHealthyAsync(factory.CreateClient());

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InitiateStkPushAsync(new InitiateStkPushRequest
        {
            PhoneNumber = "0712000001", Amount = 10, AccountReference = "INV-1", Description = "Order", IdempotencyKey = "k-1",
        }));
        var health = await client.CheckDatabaseAsync();

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("Daraja is not configured", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("not configured", health.Daraja);
    }

    [Fact]
    public void ACredentialWithoutACallbackUrlStopsTheServiceNamingTheKeyWithoutEchoingTheSecret()
    {
        using var factory = new TransactionServiceFactory(_store.ConnectionString, new Dictionary<string, string?>
        {
            ["Daraja:ConsumerKey"] = "key-that-must-not-leak",
            ["Daraja:ConsumerSecret"] = "secret-that-must-not-leak",
            ["Daraja:Passkey"] = "passkey-that-must-not-leak",
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Daraja:CallbackUrl is required", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("must-not-leak", error.Message, StringComparison.Ordinal);
    }

    private static StkPushOrder Order(string key) => new()
    {
        PhoneNumber = "254712000001",
        Amount = 150,
        AccountReference = "INV-7",
        Description = "Order 7",
        TelegramChatId = 4242,
        IdempotencyKey = key,
    };
}
