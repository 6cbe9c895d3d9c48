using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Apis;

namespace MpesaAspire.CallbackGateway.Health;

/// <summary>
/// Reuses one probe's answer for <c>Health:CacheDuration</c>, and lets concurrent requests share
/// one probe: a flood of <c>/health</c> requests costs the database one query per period.
/// </summary>
public sealed class HealthCache(TimeProvider timeProvider, IOptions<HealthOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _probing = new(1, 1);
    private volatile Snapshot? _snapshot;

    public async Task<HealthResponse> GetAsync(DependencyHealthProbe probe, CancellationToken cancellationToken)
    {
        if (Fresh() is { } fresh)
        {
            return fresh;
        }

        await _probing.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } probedMeanwhile)
            {
                return probedMeanwhile;
            }

            var health = await probe.CheckAsync(cancellationToken);
            _snapshot = new Snapshot(health, timeProvider.GetUtcNow() + options.Value.CacheDuration);
            return health;
        }
        finally
        {
            _probing.Release();
        }
    }

    public void Dispose() => _probing.Dispose();

    private HealthResponse? Fresh() =>
        _snapshot is { } snapshot && timeProvider.GetUtcNow() < snapshot.ExpiresAt ? snapshot.Health : null;

    private sealed record Snapshot(HealthResponse Health, DateTimeOffset ExpiresAt);
}
