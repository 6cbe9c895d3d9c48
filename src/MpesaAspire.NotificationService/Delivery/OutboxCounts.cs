using System.Diagnostics.Metrics;

namespace MpesaAspire.NotificationService.Delivery;

/// <summary>
/// How many notifications have left the queue without a known delivery, as last counted: uncertain
/// receipts and dead letters. Both wait for an operator; the gauges make them visible.
/// </summary>
internal sealed class OutboxCounts
{
    private long _uncertain;
    private long _deadLetters;

    public OutboxCounts(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(ServiceDefaultsExtensions.MpesaTelemetryName);
        meter.CreateObservableGauge(
            "mpesa.notifications.uncertain", () => Volatile.Read(ref _uncertain), "{notification}",
            "User receipts whose send outcome is unknown, waiting for an operator to resend or drop them.");
        meter.CreateObservableGauge(
            "mpesa.notifications.dead_letters", () => Volatile.Read(ref _deadLetters), "{notification}",
            "Notifications that kept failing past the retry age, out of the queue until an operator re-arms them.");
    }

    public void Update(long uncertain, long deadLetters)
    {
        Volatile.Write(ref _uncertain, uncertain);
        Volatile.Write(ref _deadLetters, deadLetters);
    }
}
