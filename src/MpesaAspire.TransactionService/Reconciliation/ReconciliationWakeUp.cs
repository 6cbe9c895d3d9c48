namespace MpesaAspire.TransactionService.Reconciliation;

/// <summary>
/// Starts a reconciliation round at once instead of at the next poll: after "Reconcile pending now",
/// and when a success is held for confirmation by STK Push Query. Several wake-ups before the round
/// starts count as one.
/// </summary>
public sealed class ReconciliationWakeUp : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending.
        }
    }

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
