namespace MpesaAspire.NotificationService.Delivery;

/// <summary>
/// Wakes the delivery loop before its next poll: something was just queued (<c>DeliverNow</c>). A
/// wake-up that comes while the loop is busy is kept, so the loop looks again right after.
/// </summary>
internal sealed class DeliveryWakeUp(TimeProvider time)
{
    private TaskCompletionSource _signal = NewSignal();

    public void Signal() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>Forgets a wake-up already acted on; call before looking at the outbox.</summary>
    public void Reset()
    {
        var signal = Volatile.Read(ref _signal);
        if (signal.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _signal, NewSignal(), signal);
        }
    }

    /// <summary>Waits for a wake-up, at most <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _signal).Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The regular poll.
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
