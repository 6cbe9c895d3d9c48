using System.Diagnostics;
using MpesaAspire.TransactionService.Grpc;

namespace MpesaAspire.TransactionService.Tests.Grpc;

/// <summary>
/// An untraced poll that finds nothing leaves nothing recorded; one that finds work, or a traced call,
/// keeps its span. The listener samples as OpenTelemetry's default (parent-based) sampler does.
/// </summary>
public sealed class QuietPollTests : IDisposable
{
    private readonly ActivitySource _source = new("quiet-poll-tests");
    private readonly ActivityListener _listener;

    public QuietPollTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source == _source,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent == default || options.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
    }

    [Fact]
    public void AnUntracedPollThatFindsNothingRecordsNeitherItsSpanNorItsDatabaseCalls()
    {
        using var server = _source.StartActivity("LeasePendingNotifications", ActivityKind.Server)!;
        Assert.NotNull(QuietPolls.Begin());

        using (var query = _source.StartActivity("SELECT notification_outbox"))
        {
            Assert.False(query!.Recorded);
        }

        Assert.False(server.Recorded);
    }

    [Fact]
    public void AnUntracedPollThatFindsWorkKeepsItsSpan()
    {
        using var server = _source.StartActivity("LeasePendingNotifications", ActivityKind.Server)!;

        QuietPolls.Begin()!.FoundWork();

        Assert.True(server.Recorded);
        Assert.True(server.IsAllDataRequested);
    }

    [Fact]
    public void ACallThatCameWithATraceIsLeftAlone()
    {
        var caller = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using var server = _source.StartActivity("LeasePendingNotifications", ActivityKind.Server, caller)!;

        Assert.Null(QuietPolls.Begin());
        Assert.True(server.Recorded);
    }
}
