using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Options;
using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.Transactions.V1;
using Polly;
using Polly.Retry;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.NotificationService.Delivery;

/// <summary>
/// Delivers one leased notification and reports its outcome to the outbox. A receipt's send is
/// recorded there (SENDING) before the request leaves for Telegram, so a crash or a lost report can
/// never lead to a second receipt: the outbox then marks it uncertain instead of sending it again.
/// </summary>
internal sealed class NotificationDeliverer
{
    private static readonly ActivitySource ActivitySource = new(ServiceDefaultsExtensions.MpesaTelemetryName);

    private readonly TransactionsClient _transactions;
    private readonly TelegramSender _sender;
    private readonly UncertainReceiptAlerts _alerts;
    private readonly TimeProvider _time;
    private readonly DeliveryOptions _options;
    private readonly TelegramOptions _telegram;
    private readonly ILogger<NotificationDeliverer> _logger;
    private readonly ResiliencePipeline _reporting;

    public NotificationDeliverer(
        TransactionsClient transactions,
        TelegramSender sender,
        UncertainReceiptAlerts alerts,
        TimeProvider time,
        IOptions<DeliveryOptions> options,
        IOptions<TelegramOptions> telegram,
        ILogger<NotificationDeliverer> logger)
    {
        _transactions = transactions;
        _sender = sender;
        _alerts = alerts;
        _time = time;
        _options = options.Value;
        _telegram = telegram.Value;
        _logger = logger;

        // An outcome is worth a few quick tries: once lost, a receipt can only become uncertain.
        _reporting = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            })
            .Build();
    }

    /// <summary>How long a started send may take before its outcome counts as unknown.</summary>
    private int SendingLeaseSeconds => (int)Math.Ceiling((_telegram.RequestTimeout + _options.CallDeadline + _options.CallDeadline).TotalSeconds);

    public async Task DeliverAsync(PendingNotification pending, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(pending);

        // The delivery belongs to the trace of the payment that queued it, however late it runs.
        ActivityContext.TryParse(pending.TraceParent, null, out var origin);
        using var activity = ActivitySource.StartActivity("deliver notification", ActivityKind.Internal, origin);
        activity?.SetTag("mpesa.notification_id", pending.NotificationId);
        activity?.SetTag("mpesa.notification_kind", pending.Kind.ToString());
        activity?.SetTag("mpesa.checkout_request_id", pending.CheckoutRequestId);
        activity?.SetTag("mpesa.notification_attempts", pending.Attempts);

        if (!PendingNotificationMapping.TryMap(pending, out var notification, out var problem))
        {
            _logger.NotificationUnsendable(pending.NotificationId, pending.CheckoutRequestId, problem);
            await ReportAsync(pending, Completion(pending, DeliveryResult.FailedPermanently, problem));
            return;
        }

        // Admin messages may simply be sent again after a crash; receipts are recorded before they leave.
        // Not cancelled by stopping: a mark the outbox applied but the caller abandoned would leave a
        // receipt that was never sent looking uncertain. Once marked, the send and its report finish.
        Func<CancellationToken, Task<bool>>? beforeSend = notification.IsAdmin ? null : _ => MarkSendingAsync(pending, CancellationToken.None);
        SendOutcome outcome;
        try
        {
            outcome = await _sender.SendAsync(notification, beforeSend, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping before anything left: the lease runs out and it is delivered after the restart.
            return;
        }

        var completion = ToCompletion(pending, notification, outcome);
        activity?.SetTag("mpesa.delivery_result", completion.Result.ToString());
        if (completion.Result is not (DeliveryResult.Delivered or DeliveryResult.DryRun))
        {
            activity?.SetStatus(ActivityStatusCode.Error, completion.Detail);
        }

        // Recorded even while stopping: the outcome is what keeps a receipt from going out twice.
        if (await ReportAsync(pending, completion) && completion.Result == DeliveryResult.Uncertain)
        {
            _alerts.Report([pending]);
        }
    }

    private async Task<bool> MarkSendingAsync(PendingNotification pending, CancellationToken cancellationToken)
    {
        var response = await _transactions.MarkNotificationSendingAsync(
            new MarkNotificationSendingRequest
            {
                NotificationId = pending.NotificationId,
                LeaseToken = pending.LeaseToken,
                LeaseSeconds = SendingLeaseSeconds,
            },
            deadline: Deadline(),
            cancellationToken: cancellationToken);
        return response.Applied;
    }

    /// <summary>True when the outbox recorded the outcome.</summary>
    private async Task<bool> ReportAsync(PendingNotification pending, CompleteNotificationRequest completion)
    {
        try
        {
            var response = await _reporting.ExecuteAsync(
                async token => await _transactions.CompleteNotificationAsync(completion, deadline: Deadline(), cancellationToken: token),
                CancellationToken.None);
            if (!response.Applied)
            {
                _logger.CompletionNotApplied(pending.NotificationId);
            }

            return response.Applied;
        }
        catch (RpcException exception)
        {
            var consequence = pending.Kind == NotificationKind.UserReceipt && completion.Result != DeliveryResult.FailedPermanently
                ? "if it was being sent it becomes uncertain when its lease runs out"
                : "it is delivered again when its lease runs out";
            _logger.CompletionFailed(pending.NotificationId, completion.Result.ToString(), $"{exception.StatusCode}: {exception.Status.Detail}", consequence);
            return false;
        }
    }

    private CompleteNotificationRequest ToCompletion(PendingNotification pending, PaymentNotification notification, SendOutcome outcome)
    {
        var completion = outcome.Status switch
        {
            SendStatus.Delivered when outcome.DryRun => Completion(pending, DeliveryResult.DryRun, outcome.Detail),
            SendStatus.Delivered => Completion(pending, DeliveryResult.Delivered, outcome.Detail),
            SendStatus.FailedPermanently => Completion(pending, DeliveryResult.FailedPermanently, outcome.Detail),
            // Nobody notices an admin message twice the way a payer notices two receipts.
            SendStatus.Uncertain when notification.IsAdmin => Completion(pending, DeliveryResult.Retry, outcome.Detail, _telegram.TransientRetryAfterSeconds),
            SendStatus.Uncertain => Completion(pending, DeliveryResult.Uncertain, outcome.Detail),
            SendStatus.Waiting => Completion(pending, DeliveryResult.Waiting, outcome.Detail, outcome.RetryAfterSeconds),
            _ => Completion(pending, DeliveryResult.Retry, outcome.Detail, outcome.RetryAfterSeconds),
        };
        completion.TelegramMessageId = outcome.MessageId;
        if (outcome.MigratedToChatId is { } migratedTo)
        {
            completion.MigratedToChatId = migratedTo;
        }

        return completion;
    }

    private static CompleteNotificationRequest Completion(PendingNotification pending, DeliveryResult result, string detail, int retryAfterSeconds = 0) => new()
    {
        NotificationId = pending.NotificationId,
        LeaseToken = pending.LeaseToken,
        Result = result,
        Detail = detail,
        RetryAfterSeconds = retryAfterSeconds,
    };

    private DateTime Deadline() => _time.GetUtcNow().UtcDateTime + _options.CallDeadline;
}
