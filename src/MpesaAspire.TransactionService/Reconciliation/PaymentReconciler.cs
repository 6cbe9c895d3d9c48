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
/// In <c>query</c> verification mode it also confirms held successes: a success callback makes its
/// payment due at once and wakes this service; Daraja not knowing the id, or no conclusive answer
/// within <c>Payments:VerificationTimeout</c>, leaves the success Unverified (still queried until
/// GiveUpAfter when the answers were only inconclusive).
/// </summary>
public sealed class PaymentReconciler(
    ReconciliationQueue queue,
    StkCallbackRecorder recorder,
    IServiceScopeFactory scopes,
    MigrationState migrations,
    IOptions<ReconciliationOptions> options,
    IOptions<DarajaOptions> daraja,
    IOptions<PaymentsOptions> payments,
    ReconciliationWakeUp wakeUp,
    TimeProvider timeProvider,
    ILogger<PaymentReconciler> logger) : BackgroundService
{
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
        wakeUp.Wake();
        return count;
    }

    public override void Dispose()
    {
        _queryBudget.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        TransactionServiceLog.VerificationMode(logger, payments.Value.Mode.ToString().ToLowerInvariant());
        // Held successes need their query even when background reconciliation is turned off.
        if ((!settings.Enabled && payments.Value.Mode != PaymentVerification.Query) || !daraja.Value.IsConfigured)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await wakeUp.WaitAsync(settings.PollInterval, stoppingToken);
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
        var unknownToDaraja = false;
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
                    FromQuery = true,
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
            unknownToDaraja = RefusesTheId(exception);
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        }

        var now = timeProvider.GetUtcNow();
        var age = payment.CreatedAt is { } created ? now - new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : TimeSpan.Zero;
        if (payment.HeldAt is { } heldAt && await SettleUnconfirmedAsync(payment, heldAt, reason, unknownToDaraja, age, now, cancellationToken))
        {
            return;
        }

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

    /// <summary>
    /// A held success the query did not settle: Unverified when Daraja does not know the id (no more
    /// queries) or when no conclusive answer came within Payments:VerificationTimeout (queries go on
    /// until GiveUpAfter). True when the payment needs nothing more this round.
    /// </summary>
    private async Task<bool> SettleUnconfirmedAsync(
        PendingPayment payment, DateTime heldAt, string lastAnswer, bool unknownToDaraja, TimeSpan age, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (unknownToDaraja)
        {
            await recorder.MarkUnverifiedAsync(
                payment.CheckoutRequestId, $"Daraja does not know this CheckoutRequestID: {lastAnswer}", keepQuerying: false, cancellationToken);
            return true;
        }

        var timeout = payments.Value.VerificationTimeout;
        var giveUp = age >= options.Value.GiveUpAfter;
        if (giveUp || (!payment.IsUnverified && now - new DateTimeOffset(DateTime.SpecifyKind(heldAt, DateTimeKind.Utc)) >= timeout))
        {
            await recorder.MarkUnverifiedAsync(
                payment.CheckoutRequestId,
                $"The success could not be confirmed by STK Push Query within {timeout} (last answer: {lastAnswer}).",
                keepQuerying: !giveUp,
                cancellationToken);
        }

        // Still queried on the usual schedule unless given up.
        return giveUp;
    }

    /// <summary>Daraja answered and refused the query itself (400/404 other than a bad token): it does not know the id.</summary>
    private static bool RefusesTheId(DarajaException exception) =>
        exception.Answered && !exception.IsInvalidToken && !exception.RefusedCredentials && !exception.IsStillProcessing
        && exception.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.NotFound;
}
