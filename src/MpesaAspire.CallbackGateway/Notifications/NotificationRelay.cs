using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Diagnostics;
using MpesaAspire.Transactions.V1;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.CallbackGateway.Notifications;

/// <summary>
/// Re-drives the outbox: every <c>Notifications:RelayInterval</c> it leases the notifications that
/// are due (oldest first) and hands them to the dispatcher, so whatever is still pending after a
/// crash, a restart, an outage or a full queue is delivered. Backs off while the transaction
/// service is unreachable.
/// </summary>
public sealed partial class NotificationRelay(
    TransactionsClient transactions,
    NotificationDispatcher dispatcher,
    TimeProvider timeProvider,
    IOptions<NotificationsOptions> options,
    ILogger<NotificationRelay> logger) : BackgroundService
{
    private const int MaxLeaseBatch = 100;

    private int _consecutiveFailures;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass runs at once: that is what picks up the work a crash left behind.
        var delay = TimeSpan.Zero;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, timeProvider, stoppingToken);
                }

                delay = await RelayOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One lease-and-hand-off pass.</summary>
    /// <returns>How long to wait before the next pass.</returns>
    internal async Task<TimeSpan> RelayOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var limit = Math.Min(Math.Min(settings.RelayBatchSize, MaxLeaseBatch), dispatcher.AvailableCapacity);
        if (limit <= 0)
        {
            // The dispatcher is saturated; leasing more would only let leases run out in the queue.
            return settings.RelayInterval;
        }

        LeasePendingNotificationsResponse response;
        try
        {
            response = await transactions.LeasePendingNotificationsAsync(
                new LeasePendingNotificationsRequest { Limit = limit, LeaseSeconds = settings.LeaseSeconds },
                deadline: timeProvider.GetUtcNow().UtcDateTime + settings.RelayInterval + TimeSpan.FromSeconds(5),
                cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _consecutiveFailures++;
            var backoff = NotificationCompletions.Backoff(_consecutiveFailures - 1, settings.RelayInterval, settings.MaxRelayBackoff);
            var (statusCode, detail) = ex is RpcException rpc ? (rpc.StatusCode.ToString(), rpc.Status.Detail) : (ex.GetType().Name, ex.Message);
            if (_consecutiveFailures == 1)
            {
                LogUnreachable(logger, statusCode, detail, backoff);
            }
            else
            {
                LogStillUnreachable(logger, _consecutiveFailures, statusCode, backoff);
            }

            return backoff;
        }

        if (_consecutiveFailures > 0)
        {
            LogReachableAgain(logger, _consecutiveFailures);
            _consecutiveFailures = 0;
        }

        if (response.Notifications.Count == 0)
        {
            return settings.RelayInterval;
        }

        using var activity = GatewayTelemetry.ActivitySource.StartActivity("relay pending notifications", ActivityKind.Internal, parentContext: default);
        activity?.SetTag("mpesa.notification_count", response.Notifications.Count);

        var queued = dispatcher.HandOff(response.Notifications, activity?.Context ?? default);
        LogRelayed(logger, response.Notifications.Count, queued);

        // A full batch means more is waiting: go again at once.
        return response.Notifications.Count >= limit && queued == response.Notifications.Count ? TimeSpan.Zero : settings.RelayInterval;
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Re-driving {Count} pending notifications ({Queued} queued for delivery)")]
    private static partial void LogRelayed(ILogger logger, int count, int queued);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Transaction service unreachable for the notification relay ({StatusCode}: {Detail}); next try in {Backoff}")]
    private static partial void LogUnreachable(ILogger logger, string statusCode, string detail, TimeSpan backoff);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Transaction service still unreachable for the notification relay ({Failures} tries, {StatusCode}); next try in {Backoff}")]
    private static partial void LogStillUnreachable(ILogger logger, int failures, string statusCode, TimeSpan backoff);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Transaction service reachable again for the notification relay after {Failures} failed tries")]
    private static partial void LogReachableAgain(ILogger logger, int failures);
}
