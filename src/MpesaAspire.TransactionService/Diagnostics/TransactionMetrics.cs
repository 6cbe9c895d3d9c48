using System.Diagnostics;
using System.Diagnostics.Metrics;
using MpesaAspire.TransactionService.Domain;

namespace MpesaAspire.TransactionService.Diagnostics;

/// <summary>
/// Metrics and spans under the shared "MpesaAspire" meter and activity source: callbacks recorded by
/// outcome and status, how long recording took, and the failures that made the gateway not ack.
/// </summary>
public sealed class TransactionMetrics
{
    public const string CallbacksRecordedName = "mpesa.callbacks.recorded";
    public const string RecordDurationName = "mpesa.callbacks.record.duration";
    public const string RecordFailuresName = "mpesa.callbacks.record.failures";

    public static readonly ActivitySource ActivitySource = new(ServiceDefaultsExtensions.MpesaTelemetryName);

    private readonly Counter<long> _callbacksRecorded;
    private readonly Histogram<double> _recordDuration;
    private readonly Counter<long> _recordFailures;

    public TransactionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ServiceDefaultsExtensions.MpesaTelemetryName);
        _callbacksRecorded = meter.CreateCounter<long>(
            CallbacksRecordedName, "{callback}", "STK Push callbacks recorded, by outcome (applied, duplicate, conflict) and status.");
        _recordDuration = meter.CreateHistogram<double>(
            RecordDurationName, "s", "Time to record one callback durably, retries included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _recordFailures = meter.CreateCounter<long>(
            RecordFailuresName, "{callback}", "Callbacks that could not be recorded (the gateway must not acknowledge them).");
    }

    public void CallbackRecorded(CallbackOutcome outcome, PaymentStatus status, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "outcome", outcome.ToString().ToLowerInvariant() },
            { "status", status.ToString().ToLowerInvariant() },
        };
        _callbacksRecorded.Add(1, tags);
        _recordDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void CallbackFailed(string errorType, TimeSpan elapsed)
    {
        var tags = new TagList { { "outcome", "error" }, { "error.type", errorType } };
        _recordFailures.Add(1, tags);
        _recordDuration.Record(elapsed.TotalSeconds, tags);
    }
}
