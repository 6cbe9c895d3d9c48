using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Diagnostics;
using MpesaAspire.Transactions.V1;
using NotificationsClient = MpesaAspire.Notifications.V1.Notifications.NotificationsClient;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.CallbackGateway.Notifications;

/// <summary>
/// Delivers leased notifications in the background, several at a time, and records each outcome
/// in the outbox. Hand-offs never wait: when the queue is full they are dropped and the relay
/// re-drives them once their lease runs out. Telegram's latency is never on a callback's path.
/// </summary>
public sealed partial class NotificationDispatcher : BackgroundService
{
    private readonly Channel<NotificationHandOff> _queue;
    private readonly ConcurrentDictionary<long, byte> _pending = new();
    private readonly NotificationsClient _notifications;
    private readonly TransactionsClient _transactions;
    private readonly TimeProvider _timeProvider;
    private readonly NotificationsOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<NotificationDispatcher> _logger;

    public NotificationDispatcher(
        NotificationsClient notifications,
        TransactionsClient transactions,
        TimeProvider timeProvider,
        IOptions<NotificationsOptions> options,
        GatewayMetrics metrics,
        ILogger<NotificationDispatcher> logger)
    {
        _notifications = notifications;
        _transactions = transactions;
        _timeProvider = timeProvider;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _queue = Channel.CreateBounded<NotificationHandOff>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>How many more hand-offs the queue takes right now.</summary>
    public int AvailableCapacity => Math.Max(0, _options.QueueCapacity - _queue.Reader.Count);

    /// <summary>
    /// Queues leased notifications for delivery without waiting. Notifications already queued or
    /// being delivered are skipped; those that do not fit are dropped for the relay to re-drive.
    /// </summary>
    /// <returns>How many were queued.</returns>
    public int HandOff(IEnumerable<PendingNotification> notifications, ActivityContext origin)
    {
        ArgumentNullException.ThrowIfNull(notifications);

        var queued = 0;
        var dropped = 0;
        foreach (var notification in notifications)
        {
            if (!_pending.TryAdd(notification.NotificationId, 0))
            {
                continue;
            }

            if (_queue.Writer.TryWrite(new NotificationHandOff(notification, origin)))
            {
                queued++;
            }
            else
            {
                _pending.TryRemove(notification.NotificationId, out _);
                dropped++;
            }
        }

        if (dropped > 0)
        {
            _metrics.HandOffDropped(dropped);
            LogDropped(_logger, dropped);
        }

        return queued;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var parallelism = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxInFlight, CancellationToken = stoppingToken };
        try
        {
            await Parallel.ForEachAsync(_queue.Reader.ReadAllAsync(stoppingToken), parallelism, DeliverOneAsync);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever is still queued keeps its lease and is re-driven after a restart.
        }
    }

    private async ValueTask DeliverOneAsync(NotificationHandOff handOff, CancellationToken cancellationToken)
    {
        try
        {
            await DeliverAsync(handOff, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeliveryCrashed(_logger, ex, handOff.Notification.NotificationId);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the lease runs out and the relay re-drives it.
        }
        finally
        {
            _pending.TryRemove(handOff.Notification.NotificationId, out _);
        }
    }

    private async Task DeliverAsync(NotificationHandOff handOff, CancellationToken cancellationToken)
    {
        var notification = handOff.Notification;
        var kind = KindTag(notification.Kind);

        using var activity = GatewayTelemetry.ActivitySource.StartActivity("deliver notification", ActivityKind.Internal, handOff.Origin);
        activity?.SetTag("mpesa.notification_id", notification.NotificationId);
        activity?.SetTag("mpesa.notification_kind", kind);
        activity?.SetTag("mpesa.checkout_request_id", notification.CheckoutRequestId);
        activity?.SetTag("mpesa.notification_attempts", notification.Attempts);

        var backoff = NotificationCompletions.Backoff(notification.Attempts, _options.RetryBackoff, _options.MaxRetryBackoff);
        CompleteNotificationRequest completion;
        var dryRun = false;
        try
        {
            var response = await _notifications.SendPaymentNotificationAsync(
                NotificationCompletions.ToSendRequest(notification),
                deadline: Deadline(_options.SendDeadline),
                cancellationToken: cancellationToken);
            completion = NotificationCompletions.FromResponse(notification, response, backoff);
            dryRun = response.DryRun;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = ex as RpcException ?? new RpcException(new Status(StatusCode.Unavailable, ex.Message));
            completion = NotificationCompletions.FromFailure(notification, failure, backoff);
            _metrics.NotificationFailed(kind, completion.Result == DeliveryResult.FailedPermanently ? "refused" : "unreachable");
        }

        Report(notification, kind, completion, dryRun);
        activity?.SetTag("mpesa.delivery_result", completion.Result.ToString());
        if (completion.Result != DeliveryResult.Delivered)
        {
            activity?.SetStatus(ActivityStatusCode.Error, completion.Detail);
        }

        await CompleteAsync(completion, cancellationToken);
    }

    private void Report(PendingNotification notification, string kind, CompleteNotificationRequest completion, bool dryRun)
    {
        var lag = notification.QueuedAt is { } queuedAt ? _timeProvider.GetUtcNow() - queuedAt.ToDateTimeOffset() : TimeSpan.Zero;
        var result = completion.Result switch
        {
            DeliveryResult.Delivered => "delivered",
            DeliveryResult.FailedPermanently => "failed_permanently",
            _ => "retry",
        };
        _metrics.NotificationAttempted(lag, kind, result);

        var what = Describe(notification.Kind);
        switch (completion.Result)
        {
            case DeliveryResult.Delivered when dryRun:
                LogSentDryRun(_logger, what, notification.CheckoutRequestId);
                break;
            case DeliveryResult.Delivered:
                LogSent(_logger, what, notification.CheckoutRequestId);
                break;
            case DeliveryResult.FailedPermanently:
                _metrics.NotificationFailed(kind, "permanent");
                LogFailedPermanently(_logger, what, notification.CheckoutRequestId, completion.Detail);
                break;
            default:
                _metrics.NotificationFailed(kind, "retry");
                LogRetrying(_logger, what, notification.CheckoutRequestId, completion.RetryAfterSeconds, completion.Detail);
                break;
        }

        if (completion.HasMigratedToChatId)
        {
            LogChatMigrated(_logger, notification.CheckoutRequestId);
        }
    }

    private async Task CompleteAsync(CompleteNotificationRequest completion, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _transactions.CompleteNotificationAsync(
                completion,
                deadline: Deadline(_options.CompleteDeadline),
                cancellationToken: cancellationToken);

            if (!response.Applied)
            {
                LogCompletionNotApplied(_logger, completion.NotificationId);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var (statusCode, detail) = ex is RpcException rpc ? (rpc.StatusCode.ToString(), rpc.Status.Detail) : (ex.GetType().Name, ex.Message);

            // The lease runs out and the relay re-drives it; the notification service answers a
            // repeat of a delivered id without sending it twice.
            _metrics.NotificationFailed("any", "complete_failed");
            LogCompletionFailed(_logger, completion.NotificationId, statusCode, detail);
        }
    }

    private DateTime Deadline(TimeSpan timeout) => _timeProvider.GetUtcNow().UtcDateTime + timeout;

    private static string KindTag(NotificationKind kind) => kind switch
    {
        NotificationKind.AdminSuccess => "admin_success",
        NotificationKind.AdminFailure => "admin_failure",
        NotificationKind.UserReceipt => "user_receipt",
        _ => "unspecified",
    };

    private static string Describe(NotificationKind kind) => kind switch
    {
        NotificationKind.UserReceipt => "User receipt",
        _ => "Admin notification",
    };

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "{Notification} sent for transaction {CheckoutRequestId}")]
    private static partial void LogSent(ILogger logger, string notification, string checkoutRequestId);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "{Notification} rendered for transaction {CheckoutRequestId} (dry-run: Telegram not configured)")]
    private static partial void LogSentDryRun(ILogger logger, string notification, string checkoutRequestId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "{Notification} for transaction {CheckoutRequestId} failed permanently: {Detail}")]
    private static partial void LogFailedPermanently(ILogger logger, string notification, string checkoutRequestId, string detail);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "{Notification} for transaction {CheckoutRequestId} not sent, retrying in {RetryAfterSeconds} s: {Detail}")]
    private static partial void LogRetrying(ILogger logger, string notification, string checkoutRequestId, int retryAfterSeconds, string detail);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Telegram chat for transaction {CheckoutRequestId} moved to a supergroup; recorded the new chat")]
    private static partial void LogChatMigrated(ILogger logger, string checkoutRequestId);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Could not record the outcome of notification {NotificationId} ({StatusCode}: {Detail}); it will be re-driven when its lease runs out")]
    private static partial void LogCompletionFailed(ILogger logger, long notificationId, string statusCode, string detail);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Outcome of notification {NotificationId} not applied: its lease had run out or it was already completed")]
    private static partial void LogCompletionNotApplied(ILogger logger, long notificationId);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Delivery queue full: {Count} notifications left to the relay")]
    private static partial void LogDropped(ILogger logger, int count);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Error, Message = "Delivering notification {NotificationId} failed unexpectedly; it will be re-driven when its lease runs out")]
    private static partial void LogDeliveryCrashed(ILogger logger, Exception exception, long notificationId);
}
