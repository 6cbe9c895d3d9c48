using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using MpesaAspire.Transactions.V1;
using Polly;
using Polly.Retry;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.NotificationService.Delivery;

/// <summary>
/// The delivery loop: leases what is due from the transaction service's outbox, delivers it (many at
/// a time, each chat at Telegram's pace), and looks again at once when woken (<c>DeliverNow</c>),
/// else every poll interval. Re-driving after crashes and outages needs nothing more: whatever was
/// not settled is due again when its lease runs out.
/// </summary>
internal sealed class OutboxDeliveryService(
    TransactionsClient transactions,
    NotificationDeliverer deliverer,
    ActiveSender sender,
    DeliveryWakeUp wakeUp,
    UncertainReceiptAlerts alerts,
    OutboxCounts counts,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ILogger<OutboxDeliveryService> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private DateTimeOffset _nextCount = DateTimeOffset.MinValue;
    private bool _unreachable;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var leasing = LeasePipeline(settings);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!await sender.IsActiveAsync(stoppingToken))
                {
                    // A standby: the active sender delivers (a nudge that reached us is harmless, it polls).
                    await Task.Delay(sender.AskInterval, time, stoppingToken);
                    continue;
                }

                wakeUp.Reset();
                var room = Math.Min(settings.BatchSize, settings.MaxInFlight - _inFlight.Count);
                if (room < MinimumLease(settings))
                {
                    // (Nearly) full: look again as soon as a delivery finishes, not at the next poll.
                    // Nothing held here waits for long: a chat whose slot is far away hands its
                    // notification back to the outbox, so room comes at Telegram's rate.
                    await Task.WhenAny([.. _inFlight.Values, Task.Delay(settings.PollInterval, time, stoppingToken)]);
                    continue;
                }

                // Looking is not worth a trace (most looks find nothing); each delivery is one, in the
                // trace of the callback that queued it.
                // (Only the call: the scope would also keep this loop's own log lines from the dashboard.)
                var lease = await leasing.ExecuteAsync(
                    async token =>
                    {
                        using var quiet = SuppressInstrumentationScope.Begin();
                        return await transactions.LeasePendingNotificationsAsync(
                            new LeasePendingNotificationsRequest { Limit = room, LeaseSeconds = (int)settings.Lease.TotalSeconds },
                            deadline: time.GetUtcNow().UtcDateTime + settings.CallDeadline,
                            cancellationToken: token);
                    },
                    stoppingToken);

                if (_unreachable)
                {
                    _unreachable = false;
                    logger.OutboxReachableAgain();
                }

                if (lease.BecameUncertain.Count > 0)
                {
                    alerts.Report(lease.BecameUncertain);
                }

                if (lease.Notifications.Count > 0)
                {
                    logger.NotificationsLeased(lease.Notifications.Count);
                    foreach (var notification in lease.Notifications)
                    {
                        Start(notification, stoppingToken);
                    }
                }

                await CountAsync(settings, stoppingToken);

                // A full batch means more may be waiting: go again at once.
                if (lease.Notifications.Count < room)
                {
                    await wakeUp.WaitAsync(settings.PollInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: sends already on their way finish and report below.
        }

        await Task.WhenAll(_inFlight.Values);
        await sender.ReleaseAsync();
    }

    /// <summary>Leasing one or two at a time would cost a round trip per message: wait for a few to finish.</summary>
    private int MinimumLease(DeliveryOptions settings) =>
        _inFlight.IsEmpty ? 1 : Math.Clamp(settings.MaxInFlight / 8, 1, settings.BatchSize);

    /// <summary>Delivers one notification in the background, unless it is being delivered already.</summary>
    private void Start(PendingNotification notification, CancellationToken stoppingToken)
    {
        var id = notification.NotificationId;
        var gate = new TaskCompletionSource();
        if (!_inFlight.TryAdd(id, gate.Task))
        {
            return;
        }

        _inFlight[id] = RunAsync();
        gate.SetResult();

        async Task RunAsync()
        {
            await gate.Task;
            try
            {
                await deliverer.DeliverAsync(notification, stoppingToken);
            }
            catch (Exception exception)
            {
                logger.DeliveryCrashed(exception, id);
            }
            finally
            {
                _inFlight.TryRemove(id, out _);
            }
        }
    }

    /// <summary>Counts uncertain receipts and dead letters for the gauges, now and then.</summary>
    private async Task CountAsync(DeliveryOptions settings, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextCount)
        {
            return;
        }

        _nextCount = now + settings.CountInterval;
        try
        {
            var deadline = now.UtcDateTime + settings.CallDeadline;
            using var quiet = SuppressInstrumentationScope.Begin();
            var uncertain = await transactions.ListNotificationsAsync(
                new ListNotificationsRequest { Status = NotificationStatus.Uncertain, Limit = 1 }, deadline: deadline, cancellationToken: stoppingToken);
            var deadLetters = await transactions.ListNotificationsAsync(
                new ListNotificationsRequest { Status = NotificationStatus.DeadLetter, Limit = 1 }, deadline: deadline, cancellationToken: stoppingToken);
            counts.Update(uncertain.Total, deadLetters.Total);
        }
        catch (RpcException exception)
        {
            logger.CountFailed($"{exception.StatusCode}: {exception.Status.Detail}");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.CountFailed(exception.Message);
        }
    }

    /// <summary>Leasing is retried for as long as it takes, backing off while the transaction service is away.</summary>
    private ResiliencePipeline LeasePipeline(DeliveryOptions settings)
    {
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                // Anything but stopping: a failure here must never end the loop (and with it the host).
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.PollInterval,
                MaxDelay = settings.MaxBackoff,
                OnRetry = args =>
                {
                    var (code, detail) = args.Outcome.Exception is RpcException rpc
                        ? (rpc.StatusCode.ToString(), rpc.Status.Detail)
                        : (args.Outcome.Exception?.GetType().Name ?? "unknown", args.Outcome.Exception?.Message ?? "");
                    if (args.AttemptNumber == 0)
                    {
                        _unreachable = true;
                        logger.OutboxUnreachable(code, detail, args.RetryDelay);
                    }
                    else
                    {
                        logger.OutboxStillUnreachable(args.AttemptNumber + 1, code, args.RetryDelay);
                    }

                    return default;
                },
            })
            .Build();
    }
}
