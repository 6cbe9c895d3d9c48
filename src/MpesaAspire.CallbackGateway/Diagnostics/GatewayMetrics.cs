using System.Diagnostics.Metrics;

namespace MpesaAspire.CallbackGateway.Diagnostics;

/// <summary>The gateway's metrics, under the meter every MpesaAspire service shares.</summary>
public sealed class GatewayMetrics
{
    private readonly Counter<long> _callbacksReceived;
    private readonly Counter<long> _callbacksRejected;
    private readonly Histogram<double> _recordingDuration;
    private readonly Counter<long> _callbacksKept;
    private readonly Counter<long> _callbacksReplayed;
    private Func<long>? _spoolDepth;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ServiceDefaultsExtensions.MpesaTelemetryName);
        _callbacksReceived = meter.CreateCounter<long>(
            "mpesa.callbacks.received", "{callback}", "STK Push callbacks parsed, by result status and recording outcome.");
        _callbacksRejected = meter.CreateCounter<long>(
            "mpesa.callbacks.rejected", "{callback}", "Callback requests refused with a 4xx, by reason.");
        _recordingDuration = meter.CreateHistogram<double>(
            "mpesa.callbacks.recording.duration", "s", "Time the transaction service took to record a callback durably.");
        _callbacksKept = meter.CreateCounter<long>(
            "mpesa.callbacks.spool.kept", "{callback}", "Callbacks kept rather than recorded, by kind: waiting (spool, to replay), rejected (spool), rejected_inbox (the transaction service's inbox), failed (not kept).");
        _callbacksReplayed = meter.CreateCounter<long>(
            "mpesa.callbacks.spool.replayed", "{callback}", "Kept callbacks replayed to the transaction service, by outcome (recorded, rejected).");
        meter.CreateObservableGauge(
            "mpesa.callbacks.spool.depth",
            () => _spoolDepth is { } depth ? [new Measurement<long>(depth())] : Array.Empty<Measurement<long>>(),
            "{callback}",
            "Callbacks waiting in the gateway's spool to be recorded.");
    }

    /// <param name="resultStatus">success, failed or cancelled.</param>
    /// <param name="outcome">applied, duplicate, conflict, rejected or unavailable.</param>
    public void CallbackReceived(string resultStatus, string outcome) =>
        _callbacksReceived.Add(1, new("result_status", resultStatus), new("outcome", outcome));

    public void CallbackRejected(string reason) =>
        _callbacksRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void RecordingCompleted(TimeSpan duration, string outcome) =>
        _recordingDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    /// <param name="kind">waiting, rejected, rejected_inbox or failed.</param>
    public void CallbackKept(string kind) => _callbacksKept.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <param name="outcome">recorded or rejected.</param>
    public void CallbackReplayed(string outcome) => _callbacksReplayed.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Where the spool depth gauge reads its value.</summary>
    public void ObserveSpoolDepth(Func<long> depth) => _spoolDepth = depth;
}
