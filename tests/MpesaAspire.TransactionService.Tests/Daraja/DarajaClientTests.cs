using System.Net;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using MpesaAspire.TestSupport;
using MpesaAspire.TransactionService.Daraja;
using MpesaAspire.TransactionService.Grpc;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Daraja;

/// <summary>The Daraja client against the fake Daraja: tokens, timestamps, and what errors look like to a caller.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class DarajaClientTests(MariaDbFixture fixture) : IAsyncLifetime
{
    // 09:00 UTC is noon in Nairobi.
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private FakeDarajaApi _daraja = null!;
    private TestStore _store = null!;
    private DarajaHarness _service = null!;

    public async Task InitializeAsync()
    {
        _daraja = await FakeDarajaApi.StartAsync(_time);
        _daraja.DefaultScenario = FakeStkScenario.Success with { Callback = FakeCallbackMode.Never, CompletesAfter = TimeSpan.FromMinutes(1) };
        _store = await fixture.CreateStoreAsync(migrate: false);
        _service = await DarajaHarness.CreateAsync(_store.ConnectionString, _daraja, _time);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _daraja.DisposeAsync();
    }

    [Fact]
    public async Task ManyConcurrentCallersShareOneTokenFetchedOnce()
    {
        var pushes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _service.Client.PushAsync(Order(i), CancellationToken.None)));

        Assert.Equal(8, pushes.Select(p => p.CheckoutRequestId).Distinct().Count());
        Assert.Equal(1, _daraja.TokensIssued);
    }

    [Fact]
    public async Task ATokenIsReplacedBeforeItExpires()
    {
        await _service.Client.PushAsync(Order(1), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(30));
        await _service.Client.PushAsync(Order(2), CancellationToken.None);
        Assert.Equal(1, _daraja.TokensIssued);

        _time.Advance(TimeSpan.FromMinutes(29));
        await _service.Client.PushAsync(Order(3), CancellationToken.None);

        Assert.Equal(2, _daraja.TokensIssued);
        Assert.Equal(3, _daraja.PushCalls);
    }

    [Fact]
    public async Task ExpiresInSentAsANumberWorksAsWellAsAString()
    {
        _daraja.ExpiresInAsNumber = true;

        var accepted = await _service.Client.PushAsync(Order(1), CancellationToken.None);

        Assert.StartsWith("ws_CO_", accepted.CheckoutRequestId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenDarajaCallsInvalidIsReplacedOnceAndTheRequestGoesThrough()
    {
        await _service.Client.PushAsync(Order(1), CancellationToken.None);
        _daraja.InvalidateCurrentToken();

        var accepted = await _service.Client.PushAsync(Order(2), CancellationToken.None);

        Assert.Equal(2, _daraja.TokensIssued);
        Assert.Equal(2, _daraja.Pushes.Count);
        Assert.Equal(accepted.CheckoutRequestId, _daraja.Pushes[^1].CheckoutRequestId);
    }

    [Fact]
    public async Task ReplicasReuseTheTokenStoredInTheDatabaseInsteadOfInvalidatingEachOther()
    {
        await using var replica = await DarajaHarness.CreateAsync(_store.ConnectionString, _daraja, _time);

        await _service.Client.PushAsync(Order(1), CancellationToken.None);
        await replica.Client.PushAsync(Order(2), CancellationToken.None);
        await _service.Client.PushAsync(Order(3), CancellationToken.None);

        Assert.Equal(1, _daraja.TokensIssued);
        Assert.Equal(3, _daraja.Pushes.Count);
    }

    [Fact]
    public async Task TheTimestampIsNairobiTimeAndThePasswordIsDerivedFromIt()
    {
        await _service.Client.PushAsync(Order(1), CancellationToken.None);

        var push = Assert.Single(_daraja.Pushes);
        Assert.Equal("20250301120000", push.Timestamp);
        Assert.Equal(
            Convert.ToBase64String(Encoding.UTF8.GetBytes("174379" + FakeDarajaApi.SandboxPasskey + "20250301120000")),
            push.Body["Password"]!.GetValue<string>());
        Assert.Equal("CustomerPayBillOnline", push.Body["TransactionType"]!.GetValue<string>());
        Assert.Equal("174379", push.Body["PartyB"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARefusedPushKeepsDarajasCodeAndMessageAndBecomesInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<DarajaException>(() =>
            _service.Client.PushAsync(Order(1) with { AccountReference = "MUCH-TOO-LONG-REFERENCE" }, CancellationToken.None));
        var status = DarajaStatus.ToRpcException(error);

        Assert.Equal("400.002.02", error.ErrorCode);
        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("Bad Request - Invalid AccountReference", status.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("400.002.02", status.Trailers.GetValue(DarajaStatus.ErrorCodeTrailer));
        Assert.NotNull(status.Trailers.GetValue(DarajaStatus.RequestIdTrailer));
    }

    [Fact]
    public async Task WrongCredentialsAreAFailedPreconditionThatNamesDarajasMessage()
    {
        _daraja.ConsumerSecret = "not-what-the-service-has";

        var error = await Assert.ThrowsAsync<DarajaException>(() => _service.Client.PushAsync(Order(1), CancellationToken.None));
        var status = DarajaStatus.ToRpcException(error);

        Assert.Equal(StatusCode.FailedPrecondition, status.StatusCode);
        Assert.Contains("Invalid Authentication passed", status.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeDarajaApi.DefaultConsumerSecret, status.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(_daraja.Pushes);
    }

    [Fact]
    public async Task AQueryWhileTheCustomerHasNotAnsweredIsStillPendingThenGivesTheResultCodeAsAString()
    {
        var accepted = await _service.Client.PushAsync(Order(1), CancellationToken.None);

        var early = await _service.Client.QueryAsync(accepted.CheckoutRequestId, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        var later = await _service.Client.QueryAsync(accepted.CheckoutRequestId, CancellationToken.None);

        Assert.False(early.IsFinal);
        Assert.Equal("The transaction is being processed", early.ResultDesc);
        Assert.True(later.IsFinal);
        Assert.Equal("0", later.ResultCode);
    }

    [Fact]
    public async Task SpikeArrestOnAQueryIsTransientAndBecomesResourceExhausted()
    {
        var accepted = await _service.Client.PushAsync(Order(1), CancellationToken.None);
        _daraja.RefuseQueriesWithTooManyRequests(1);

        var error = await Assert.ThrowsAsync<DarajaException>(() => _service.Client.QueryAsync(accepted.CheckoutRequestId, CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal(StatusCode.ResourceExhausted, DarajaStatus.ToRpcException(error).StatusCode);
    }

    private static StkPushOrder Order(int n) => new()
    {
        PhoneNumber = $"2547{n:D8}",
        Amount = 100 + n,
        AccountReference = "INV-" + n,
        Description = "Test order",
        IdempotencyKey = Guid.NewGuid().ToString("N"),
    };
}
