using MpesaAspire.FaultSuite;

namespace MpesaAspire.FaultTests;

/// <summary>One running system for every fault: each fault leaves it whole again for the next.</summary>
public sealed class FaultSystemFixture : IAsyncLifetime
{
    public FaultSystem System { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        System = await FaultSystem.StartAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (System is not null)
        {
            await System.DisposeAsync();
        }
    }
}
