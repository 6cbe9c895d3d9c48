using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Callbacks;
using MpesaAspire.CallbackGateway.Diagnostics;
using MpesaAspire.Transactions.V1;
using Polly;
using Polly.Retry;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.CallbackGateway.Spool;

/// <summary>
/// Records the callbacks kept in the spool, oldest first, through the same idempotent
/// <c>RecordStkCallback</c> call as a live callback (with the time it was received), as soon as
/// recording works again. A row is deleted only once recorded; a callback the transaction service
/// refuses as invalid stays kept, marked rejected with the reason. The notifications recording
/// queues are delivered as a live callback's are.
/// </summary>
public sealed partial class SpoolReplayer : BackgroundService
{
    private const int BatchSize = 50;

    private readonly CallbackSpool _spool;
    private readonly TransactionsClient _transactions;
    private readonly DeliveryNudge _deliveryNudge;
    private readonly TimeProvider _timeProvider;
    private readonly SpoolOptions _options;
    private readonly CallbackOptions _callbackOptions;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<SpoolReplayer> _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _passLock = new();
    private CancellationTokenSource? _backoff;
    private bool _inBackoff;
    private bool _replayRequested;

    public SpoolReplayer(
        CallbackSpool spool,
        TransactionsClient transactions,
        DeliveryNudge deliveryNudge,
        TimeProvider timeProvider,
        IOptions<SpoolOptions> options,
        IOptions<CallbackOptions> callbackOptions,
        GatewayMetrics metrics,
        ILogger<SpoolReplayer> logger)
    {
        _spool = spool;
        _transactions = transactions;
        _deliveryNudge = deliveryNudge;
        _timeProvider = timeProvider;
        _options = options.Value;
        _callbackOptions = callbackOptions.Value;
        _metrics = metrics;
        _logger = logger;
        metrics.ObserveSpoolDepth(() => spool.WaitingCount);

        // While recording fails, a pass is retried with a growing, jittered wait; it never gives
        // up (the rows are on disk), and a request to replay cuts the wait short.
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RecordingUnavailableException>(),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.ReplayBackoff,
                MaxDelay = _options.MaxReplayBackoff,
                OnRetry = args =>
                {
                    lock (_passLock)
                    {
                        _inBackoff = true;
                        if (_replayRequested)
                        {
                            _replayRequested = false;
                            _backoff?.Cancel();
                        }
                    }

                    var failure = (RecordingUnavailableException)args.Outcome.Exception!;
                    if (args.AttemptNumber == 0)
                    {
                        LogPaused(_logger, failure.Code, failure.Detail, _spool.WaitingCount, args.RetryDelay);
                    }
                    else
                    {
                        LogStillPaused(_logger, args.AttemptNumber + 1, failure.Code, args.RetryDelay);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>
    /// Asks for a replay pass now, cutting short a wait after failures: recording is known to work
    /// again (a live callback was just recorded), or the operator asked.
    /// </summary>
    public void ReplayNow()
    {
        lock (_passLock)
        {
            if (_inBackoff)
            {
                _backoff?.Cancel();
            }
            else
            {
                // A pass is running: if it fails now, its wait is cut short as soon as it begins.
                _replayRequested = true;
            }
        }

        Nudge();
    }

    /// <summary>Wakes an idle replayer (a callback was just kept); a wait after failures runs its course.</summary>
    public void Nudge()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunPassAsync(stoppingToken);
                await WaitForWorkAsync(stoppingToken);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping (a call cut short may surface as an RpcException with status Cancelled):
            // what is not recorded stays on disk for the next start.
        }
    }

    /// <summary>Replays until the spool has no waiting callback, backing off while recording fails.</summary>
    internal async Task RunPassAsync(CancellationToken stoppingToken)
    {
        using var pass = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        lock (_passLock)
        {
            _backoff = pass;
        }

        try
        {
            await _pipeline.ExecuteAsync(async token => await ReplayWaitingAsync(token), pass.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // A replay was requested during a backoff: the next pass starts at once.
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The spool itself could not be read: try again on the next pass.
            LogPassFailed(_logger, ex);
        }
        finally
        {
            lock (_passLock)
            {
                _backoff = null;
                _inBackoff = false;
            }
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var interval = Task.Delay(_options.ReplayInterval, _timeProvider, wait.Token);
        var woken = _wake.WaitAsync(wait.Token);
        await Task.WhenAny(interval, woken);
        await wait.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }

    private async Task ReplayWaitingAsync(CancellationToken cancellationToken)
    {
        lock (_passLock)
        {
            _inBackoff = false;
            _replayRequested = false;
        }

        while (true)
        {
            var batch = await _spool.TakeWaitingAsync(BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                return;
            }

            foreach (var kept in batch)
            {
                await ReplayAsync(kept, cancellationToken);
            }
        }
    }

    private async Task ReplayAsync(KeptCallback kept, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(kept.TraceParent, null, out var origin);
        using var activity = GatewayTelemetry.ActivitySource.StartActivity("replay kept callback", ActivityKind.Internal, origin);
        activity?.SetTag("mpesa.checkout_request_id", kept.CheckoutRequestId);
        activity?.SetTag("mpesa.replay_attempts", kept.Attempts);

        if (!StkCallbackParser.TryParse(kept.RawPayload, out var callback, out var unreadable))
        {
            // It was read when it was kept; a parser change may refuse it now. Keep it for the operator.
            await _spool.MarkRejectedAsync(kept.Id, $"{unreadable.Code}: {unreadable.Detail}", CancellationToken.None);
            _metrics.CallbackReplayed("rejected");
            LogRefused(_logger, kept.CheckoutRequestId ?? "(unknown)", unreadable.Detail);
            return;
        }

        var request = StkCallbackIntake.ToRecordRequest(callback, kept.RawPayload, kept.ReceivedAt);
        RecordStkCallbackResponse response;
        try
        {
            response = await _transactions.RecordStkCallbackAsync(
                request,
                deadline: _timeProvider.GetUtcNow().UtcDateTime + _callbackOptions.RecordDeadline,
                cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            await _spool.MarkRejectedAsync(kept.Id, $"refused_by_transaction_service: {ex.Status.Detail}", CancellationToken.None);
            _metrics.CallbackReplayed("rejected");
            activity?.SetStatus(ActivityStatusCode.Error, "refused");
            LogRefused(_logger, callback.CheckoutRequestId, ex.Status.Detail);
            return;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var (code, detail) = ex is RpcException rpc ? (rpc.StatusCode.ToString(), rpc.Status.Detail) : (ex.GetType().Name, ex.Message);
            await _spool.RecordFailedAttemptAsync(kept.Id, $"{code}: {detail}", CancellationToken.None);
            activity?.SetStatus(ActivityStatusCode.Error, "not recorded");
            throw new RecordingUnavailableException(code, detail, ex);
        }

        // Recorded: only now may the row go. A crash between the two replays it once more, which
        // the transaction service answers as a duplicate.
        await _spool.DeleteRecordedAsync(kept.Id, CancellationToken.None);
        _metrics.CallbackReplayed("recorded");
        activity?.SetTag("mpesa.record_outcome", response.Outcome.ToString());
        LogReplayed(_logger, callback.CheckoutRequestId, response.Outcome, kept.ReceivedAt);

        // The notification service delivers them; it only hears their ids so it need not wait for its next poll.
        _deliveryNudge.Send([.. response.QueuedNotifications.Select(n => n.NotificationId)]);
    }

    public override void Dispose()
    {
        base.Dispose();
        _wake.Dispose();
    }

    /// <summary>The transaction service could not record a kept callback; the pass is retried later.</summary>
    private sealed class RecordingUnavailableException(string code, string detail, Exception inner)
        : Exception($"The transaction service could not record ({code}): {detail}", inner)
    {
        public string Code { get; } = code;

        public string Detail { get; } = detail;
    }

    [LoggerMessage(EventId = 6210, Level = LogLevel.Information, Message = "Kept callback for transaction {CheckoutRequestId} recorded ({Outcome}); received at {ReceivedAt:O}")]
    private static partial void LogReplayed(ILogger logger, string checkoutRequestId, RecordOutcome outcome, DateTimeOffset receivedAt);

    [LoggerMessage(EventId = 6211, Level = LogLevel.Warning, Message = "Kept callback for transaction {CheckoutRequestId} refused, kept as rejected for the operator: {Reason}")]
    private static partial void LogRefused(ILogger logger, string checkoutRequestId, string reason);

    [LoggerMessage(EventId = 6212, Level = LogLevel.Warning, Message = "Replay of kept callbacks paused: transaction service {StatusCode}: {Detail}; {Waiting} waiting, next try in {Delay}")]
    private static partial void LogPaused(ILogger logger, string statusCode, string detail, long waiting, TimeSpan delay);

    [LoggerMessage(EventId = 6213, Level = LogLevel.Debug, Message = "Replay of kept callbacks still paused after {Attempts} tries ({StatusCode}); next try in {Delay}")]
    private static partial void LogStillPaused(ILogger logger, int attempts, string statusCode, TimeSpan delay);

    [LoggerMessage(EventId = 6214, Level = LogLevel.Error, Message = "Replay pass over the spool failed; trying again later")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
