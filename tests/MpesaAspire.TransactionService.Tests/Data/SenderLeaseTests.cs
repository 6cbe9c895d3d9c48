using MpesaAspire.TransactionService.Data;
using MpesaAspire.TransactionService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MpesaAspire.TransactionService.Tests.Data;

/// <summary>Replicas elect one active sender through MySQL: one holder at a time, taken over only once it has run out.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class SenderLeaseTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    private TestStore _store = null!;

    private SenderLeases Leases => _store.Services.GetRequiredService<SenderLeases>();

    public async Task InitializeAsync() => _store = await fixture.CreateStoreAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task OneInstanceHoldsTheLeaseAndAnotherTakesItOverOnlyOnceItHasRunOut()
    {
        Assert.Equal("a", (await Leases.AcquireAsync("telegram", "a", Lease, CancellationToken.None)).Holder);
        Assert.Equal("a", (await Leases.AcquireAsync("telegram", "b", Lease, CancellationToken.None)).Holder);

        _store.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal("a", (await Leases.AcquireAsync("telegram", "a", Lease, CancellationToken.None)).Holder);
        _store.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal("a", (await Leases.AcquireAsync("telegram", "b", Lease, CancellationToken.None)).Holder);

        _store.Time.Advance(TimeSpan.FromSeconds(5));
        var takenOver = await Leases.AcquireAsync("telegram", "b", Lease, CancellationToken.None);
        Assert.Equal("b", takenOver.Holder);
        Assert.Equal((_store.Time.GetUtcNow() + Lease).UtcDateTime, takenOver.LeaseUntil, TimeSpan.FromMilliseconds(1));
        Assert.Equal("b", (await Leases.AcquireAsync("telegram", "a", Lease, CancellationToken.None)).Holder);
    }

    [Fact]
    public async Task InstancesRacingForAFreeLeaseLeaveExactlyOneHolder()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => Leases.AcquireAsync("telegram", $"replica-{i}", Lease, CancellationToken.None))));

        var holder = Assert.Single(answers.Select(a => a.Holder).Distinct());
        Assert.StartsWith("replica-", holder, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReleasedLeaseIsTakenOverAtOnceAndOnlyItsHolderCanReleaseIt()
    {
        await Leases.AcquireAsync("telegram", "a", Lease, CancellationToken.None);

        Assert.False(await Leases.ReleaseAsync("telegram", "b", CancellationToken.None));
        Assert.True(await Leases.ReleaseAsync("telegram", "a", CancellationToken.None));
        _store.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("b", (await Leases.AcquireAsync("telegram", "b", Lease, CancellationToken.None)).Holder);
    }
}
