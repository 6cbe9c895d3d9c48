using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using MpesaAspire.TransactionService.Diagnostics;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Data;

/// <summary>What an operator sees on the dashboard: callbacks by outcome and status, and how long recording took.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class CallbackMetricsTests(MariaDbFixture fixture)
{
    [Fact]
    public async Task EveryRecordedCallbackIsCountedByOutcomeAndStatusAndTimed()
    {
        await using var store = await fixture.CreateStoreAsync();
        var meterFactory = store.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var recorded = new MetricCollector<long>(meterFactory, ServiceDefaultsExtensions.MpesaTelemetryName, TransactionMetrics.CallbacksRecordedName);
        using var duration = new MetricCollector<double>(meterFactory, ServiceDefaultsExtensions.MpesaTelemetryName, TransactionMetrics.RecordDurationName);
        var paid = Callbacks.Success(Callbacks.NewCheckoutId());

        await store.Recorder.RecordAsync(paid, CancellationToken.None);
        await store.Recorder.RecordAsync(paid, CancellationToken.None);
        await store.Recorder.RecordAsync(Callbacks.Failure(paid.CheckoutRequestId, "1032", "Request cancelled by user"), CancellationToken.None);
        await store.Recorder.RecordAsync(Callbacks.Failure(Callbacks.NewCheckoutId(), "1032", "Request cancelled by user"), CancellationToken.None);

        Assert.Equal(
            ["applied/success", "duplicate/success", "conflict/success", "applied/cancelled"],
            recorded.GetMeasurementSnapshot().Select(m => $"{m.Tags["outcome"]}/{m.Tags["status"]}"));
        Assert.Equal(4, duration.GetMeasurementSnapshot().Count);
    }
}
