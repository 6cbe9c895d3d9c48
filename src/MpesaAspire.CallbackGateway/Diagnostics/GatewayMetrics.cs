using System.Diagnostics.Metrics;

namespace MpesaAspire.CallbackGateway.Diagnostics;

/// <summary>The gateway's metrics, under the meter every MpesaAspire service shares.</summary>
public sealed class GatewayMetrics
{
    private readonly Counter<long> _callbacksReceived;
    private readonly Counter<long> _callbacksRejected;
    private readonly Histogram<double> _recordingDuration;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ServiceDefaultsExtensions.MpesaTelemetryName);
        _callbacksReceived = meter.CreateCounter<long>(
            "mpesa.callbacks.received", "{callback}", "STK Push callbacks parsed, by result status and recording outcome.");
        _callbacksRejected = meter.CreateCounter<long>(
            "mpesa.callbacks.rejected", "{callback}", "Callback requests refused with a 4xx, by reason.");
        _recordingDuration = meter.CreateHistogram<double>(
            "mpesa.callbacks.recording.duration", "s", "Time the transaction service took to record a callback durably.");
    }

    /// <param name="resultStatus">success, failed or cancelled.</param>
    /// <param name="outcome">applied, duplicate, conflict, rejected or unavailable.</param>
    public void CallbackReceived(string resultStatus, string outcome) =>
        _callbacksReceived.Add(1, new("result_status", resultStatus), new("outcome", outcome));

    public void CallbackRejected(string reason) =>
        _callbacksRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void RecordingCompleted(TimeSpan duration, string outcome) =>
        _recordingDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
}
