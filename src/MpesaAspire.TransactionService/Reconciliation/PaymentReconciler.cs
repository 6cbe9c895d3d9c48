using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Daraja;
using MpesaAspire.TransactionService.Data;
using MpesaAspire.TransactionService.Data.Migrations;
using MpesaAspire.TransactionService.Diagnostics;
using MpesaAspire.TransactionService.Domain;
using OpenTelemetry;

namespace MpesaAspire.TransactionService.Reconciliation;

/// <summary>
/// Finds the payments whose callback never came. Every pending payment is queried with STK Push
/// Query about a minute after it started, then with doubling gaps up to hourly; "being processed",
/// 429, 5xx and no answer all mean "still pending". A final answer is recorded through the same path
/// as a callback (inbox, status mapping, never downgrading a final result, one set of notifications);
/// a payment still pending after a day becomes NeedsReview. Queries share one token bucket per
/// instance. Rounds that find nothing due leave no trace.
/// </summary>
public sealed class PaymentReconciler(
    ReconciliationQueue queue,
    StkCallbackRecorder recorder,
    IServiceScopeFactory scopes,
    MigrationState migrations,
    IOptions<ReconciliationOptions> options,
    IOptions<DarajaOptions> daraja,
    TimeProvider timeProvider,
    ILogger<PaymentReconciler> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly TokenBucketRateLimiter _queryBudget = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = options.Value.QueryBurst,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1 / options.Value.QueriesPerSecond),
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });

    /// <summary>Makes every pending payment due and starts a round at once; returns how many were made due.</summary>
    public async Task<int> ReconcileNowAsync(CancellationToken cancellationToken)
    {
        var count = await queue.MakeAllDueAsync(timeProvider.GetUtcNow(), cancellationToken);
        TransactionServiceLog.ReconcileNow(logger, count);
        Wake();
        return count;
    }

    public override void Dispose()
    {
        _queryBudget.Dispose();
        _wake.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || !daraja.Value.IsConfigured)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!migrations.IsCompleted)
            {
                continue;
            }

            try
            {
                // Keep going while full batches come back: a backlog drains at the query budget's pace.
                while (await RunRoundAsync(stoppingToken) >= settings.BatchSize)
                {
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                TransactionServiceLog.ReconciliationFailed(logger, exception);
            }
        }
    }

    /// <summary>One round: claim what is due and query it. Returns how many payments were claimed.</summary>
    public async Task<int> RunRoundAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        IReadOnlyList<PendingPayment> claimed;
        // Polling that finds nothing must leave no trace: the claim's own MySQL spans are not recorded.
        using (SuppressInstrumentationScope.Begin())
        {
            claimed = await queue.ClaimDueAsync(
                timeProvider.GetUtcNow(), settings.FirstQueryAfter, settings.BatchSize, Gap, cancellationToken);
        }

        if (claimed.Count == 0)
        {
            return 0;
        }

        using var scope = scopes.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<DarajaClient>();
        foreach (var payment in claimed)
        {
            using var lease = await _queryBudget.AcquireAsync(1, cancellationToken);
            await ReconcileAsync(client, payment, cancellationToken);
        }

        return claimed.Count;
    }

    /// <summary>The gap after the <paramref name="queries"/>-th query: FirstGap, doubling, at most MaxGap.</summary>
    public TimeSpan Gap(int queries) => Backoff.Exponential(queries, options.Value.FirstGap, options.Value.MaxGap);

    private async Task ReconcileAsync(DarajaClient client, PendingPayment payment, CancellationToken cancellationToken)
    {
        using var activity = TransactionMetrics.ActivitySource.StartActivity("reconcile pending payment");
        activity?.SetTag("mpesa.checkout_request_id", payment.CheckoutRequestId);
        activity?.SetTag("mpesa.query_count", payment.QueryCount);

        string reason;
        try
        {
            var answer = await client.QueryAsync(payment.CheckoutRequestId, cancellationToken);
            if (answer.IsFinal)
            {
                var recording = await recorder.RecordAsync(new StkCallback
                {
                    CheckoutRequestId = payment.CheckoutRequestId,
                    MerchantRequestId = answer.MerchantRequestId,
                    RawPayload = answer.RawBody,
                    ResultCode = answer.ResultCode!,
                    ResultDesc = answer.ResultDesc,
                    ReceivedAt = timeProvider.GetUtcNow(),
                }, cancellationToken);
                activity?.SetTag("mpesa.outcome", recording.Outcome.ToString());
                TransactionServiceLog.QueryConfirmed(
                    logger, payment.CheckoutRequestId, recording.Transaction.Status.ToString(), answer.ResultCode!);
                return;
            }

            reason = answer.ResultDesc ?? "being processed";
        }
        catch (DarajaException exception)
        {
            // 429, 5xx, no answer, or a refusal (unknown id, credentials): the payment stays pending.
            reason = exception.Message;
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        }

        var now = timeProvider.GetUtcNow();
        var age = payment.CreatedAt is { } created ? now - new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : TimeSpan.Zero;
        if (age >= options.Value.GiveUpAfter)
        {
            if (await queue.MarkNeedsReviewAsync(payment.Id, now, cancellationToken) == 1)
            {
                TransactionServiceLog.NeedsReview(logger, payment.CheckoutRequestId, age);
            }

            return;
        }

        var next = now + Gap(payment.QueryCount);
        await queue.RescheduleAsync(payment.Id, next, cancellationToken);
        TransactionServiceLog.StillPending(logger, payment.CheckoutRequestId, reason, next.UtcDateTime);
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending.
        }
    }
}
