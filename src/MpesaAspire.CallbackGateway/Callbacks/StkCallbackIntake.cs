using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Diagnostics;
using MpesaAspire.CallbackGateway.Spool;
using MpesaAspire.Transactions.V1;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>
/// Takes one STK Push callback from the wire to the transaction service: reads and parses it
/// tolerantly, refuses what is not a callback (keeping refused JSON for the operator), and records
/// the rest durably before the gateway may tell Safaricom it was received: in the transaction
/// service, or in the gateway's own spool when the transaction service cannot record it in time.
/// </summary>
public sealed partial class StkCallbackIntake(
    TransactionsClient transactions,
    CallbackSpool spool,
    SpoolReplayer replayer,
    TimeProvider timeProvider,
    IOptions<CallbackOptions> options,
    GatewayMetrics metrics,
    ILogger<StkCallbackIntake> logger)
{
    private const int MaxLoggedPayloadLength = 4096;

    public async Task<CallbackIntakeResult> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var receivedAt = timeProvider.GetUtcNow();

        var body = await CallbackBodyReader.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (body.Rejection is { } unreadable)
        {
            return Reject(unreadable, checkoutRequestId: null);
        }

        var payload = body.Text!;
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogReceived(logger, Shorten(PhoneNumbers.MaskJson(payload)));
        }

        if (!StkCallbackParser.TryParse(payload, out var callback, out var rejection))
        {
            await KeepRefusedAsync(payload, checkoutRequestId: null, receivedAt, rejection);
            return Reject(rejection, checkoutRequestId: null);
        }

        Activity.Current?.SetTag("mpesa.checkout_request_id", callback.CheckoutRequestId);
        Activity.Current?.SetTag("mpesa.result_code", callback.ResultCode);

        LogProcessing(logger, callback.CheckoutRequestId, callback.ResultCode, callback.Status);
        foreach (var anomaly in callback.Anomalies)
        {
            LogAnomaly(logger, callback.CheckoutRequestId, anomaly);
        }

        // Not tied to the request: a callback read in full is made durable even when Safaricom
        // stops waiting for the answer. The deadline bounds it.
        return await RecordAsync(callback, payload, receivedAt, CancellationToken.None);
    }

    /// <summary>The request the transaction service records: the raw payload and every field as sent.</summary>
    public static RecordStkCallbackRequest ToRecordRequest(StkCallback callback, string rawPayload, DateTimeOffset receivedAt)
    {
        var request = new RecordStkCallbackRequest
        {
            RawPayload = rawPayload,
            MerchantRequestId = callback.MerchantRequestId ?? string.Empty,
            CheckoutRequestId = callback.CheckoutRequestId,
            ResultCode = callback.ResultCode,
            ReceivedAt = Timestamp.FromDateTimeOffset(receivedAt),
        };

        if (callback.ResultDesc is not null)
        {
            request.ResultDesc = callback.ResultDesc;
        }

        if (callback.Amount is { } amount)
        {
            request.Amount = amount.ToString(CultureInfo.InvariantCulture);
        }

        if (callback.MpesaReceiptNumber is not null)
        {
            request.MpesaReceiptNumber = callback.MpesaReceiptNumber;
        }

        if (callback.TransactionDate is { } transactionDate)
        {
            request.TransactionDate = transactionDate.ToString(CultureInfo.InvariantCulture);
        }

        if (callback.PhoneNumber is { } phoneNumber)
        {
            request.PhoneNumber = phoneNumber.ToString(CultureInfo.InvariantCulture);
        }

        return request;
    }

    private async Task<CallbackIntakeResult> RecordAsync(
        StkCallback callback, string payload, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var status = StatusTag(callback.Status);
        var request = ToRecordRequest(callback, payload, receivedAt);
        var started = timeProvider.GetTimestamp();

        try
        {
            var response = await transactions.RecordStkCallbackAsync(
                request,
                deadline: timeProvider.GetUtcNow().UtcDateTime + options.Value.RecordDeadline,
                cancellationToken: cancellationToken);

            var outcome = response.Outcome switch
            {
                RecordOutcome.Duplicate => "duplicate",
                RecordOutcome.Conflict => "conflict",
                // A success kept pending until STK Push Query confirms it (Payments:Verification = query).
                RecordOutcome.Held => "held",
                _ => "applied",
            };
            metrics.RecordingCompleted(timeProvider.GetElapsedTime(started), outcome);
            metrics.CallbackReceived(status, outcome);
            Activity.Current?.SetTag("mpesa.record_outcome", outcome);

            switch (response.Outcome)
            {
                case RecordOutcome.Duplicate:
                    LogDuplicate(logger, callback.CheckoutRequestId);
                    break;
                case RecordOutcome.Conflict:
                    LogConflict(logger, callback.CheckoutRequestId, response.Transaction?.Status ?? TransactionStatus.Unspecified);
                    break;
                default:
                    LogUpdated(logger, callback.CheckoutRequestId);
                    break;
            }

            if (spool.WaitingCount > 0)
            {
                // Recording works again: the kept callbacks need not wait for the next backoff.
                replayer.ReplayNow();
            }

            return CallbackIntakeResult.Recorded(callback.CheckoutRequestId, response.QueuedNotifications);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            metrics.RecordingCompleted(timeProvider.GetElapsedTime(started), "rejected");
            var refusal = new CallbackRejection(CallbackRejectionReason.RefusedByTransactionService, $"The callback was refused: {ex.Status.Detail}");
            await KeepRefusedAsync(payload, callback.CheckoutRequestId, receivedAt, refusal);
            return Reject(refusal, callback.CheckoutRequestId);
        }
        catch (RpcException ex)
        {
            return await KeepAsync(callback, payload, receivedAt, status, started, ex.StatusCode.ToString(), ex.Status.Detail);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await KeepAsync(callback, payload, receivedAt, status, started, ex.GetType().Name, ex.Message);
        }
    }

    /// <summary>
    /// The transaction service could not record the callback in time: keep it on the gateway's
    /// disk for the replayer. Only when that fails too is the callback answered 503.
    /// </summary>
    private async Task<CallbackIntakeResult> KeepAsync(
        StkCallback callback, string payload, DateTimeOffset receivedAt, string status, long started, string code, string detail)
    {
        metrics.RecordingCompleted(timeProvider.GetElapsedTime(started), "unavailable");
        try
        {
            // Not tied to the request either: a callback being kept is finished even when the caller goes away.
            await spool.KeepAsync(payload, callback.CheckoutRequestId, receivedAt, Activity.Current?.Id, CancellationToken.None);
        }
        catch (Exception ex)
        {
            metrics.CallbackKept("failed");
            metrics.CallbackReceived(status, "unavailable");
            Activity.Current?.SetStatus(ActivityStatusCode.Error, "callback not recorded");
            LogNotRecorded(logger, callback.CheckoutRequestId, code, detail);
            LogNotKept(logger, ex, callback.CheckoutRequestId, spool.FilePath);
            return CallbackIntakeResult.NotRecorded(
                callback.CheckoutRequestId, $"The callback could not be recorded: the transaction service is unavailable ({code}).");
        }

        metrics.CallbackKept("waiting");
        metrics.CallbackReceived(status, "kept");
        Activity.Current?.SetTag("mpesa.record_outcome", "kept");
        LogKept(logger, callback.CheckoutRequestId, code, detail);
        replayer.Nudge();
        return CallbackIntakeResult.Kept(callback.CheckoutRequestId);
    }

    /// <summary>
    /// Keeps a refused JSON payload raw with the reason, for the operator: in the transaction
    /// service's inbox (marked rejected), or in the gateway's spool when that cannot be reached.
    /// A failure here changes nothing for the caller.
    /// </summary>
    private async Task KeepRefusedAsync(string payload, string? checkoutRequestId, DateTimeOffset receivedAt, CallbackRejection rejection)
    {
        if (!rejection.IsReadableJson)
        {
            return;
        }

        var reason = $"{rejection.Code}: {rejection.Detail}";
        try
        {
            await transactions.KeepRejectedCallbackAsync(
                new KeepRejectedCallbackRequest
                {
                    RawPayload = payload,
                    Reason = reason,
                    CheckoutRequestId = checkoutRequestId ?? string.Empty,
                    ReceivedAt = Timestamp.FromDateTimeOffset(receivedAt),
                },
                deadline: timeProvider.GetUtcNow().UtcDateTime + options.Value.RecordDeadline,
                cancellationToken: CancellationToken.None);
            metrics.CallbackKept("rejected_inbox");
            LogRefusedKeptInInbox(logger, rejection.Code);
            return;
        }
        catch (Exception ex)
        {
            var code = ex is RpcException rpc ? rpc.StatusCode.ToString() : ex.GetType().Name;
            LogRefusedNotInInbox(logger, rejection.Code, code);
        }

        try
        {
            await spool.KeepRejectedAsync(payload, checkoutRequestId, receivedAt, Activity.Current?.Id, reason, CancellationToken.None);
            metrics.CallbackKept("rejected");
            LogRefusedKept(logger, rejection.Code);
        }
        catch (Exception ex)
        {
            metrics.CallbackKept("failed");
            LogRefusedNotKept(logger, ex, rejection.Code);
        }
    }

    private CallbackIntakeResult Reject(CallbackRejection rejection, string? checkoutRequestId)
    {
        metrics.CallbackRejected(rejection.Code);
        LogRejected(logger, rejection.StatusCode, rejection.Code, rejection.Detail);
        return CallbackIntakeResult.Rejected(rejection, checkoutRequestId);
    }

    /// <summary>Real callbacks are under 2 KiB; a huge body must not flood the log.</summary>
    private static string Shorten(string payload) =>
        payload.Length <= MaxLoggedPayloadLength
            ? payload
            : string.Concat(payload.AsSpan(0, MaxLoggedPayloadLength), "… (", (payload.Length - MaxLoggedPayloadLength).ToString(CultureInfo.InvariantCulture), " more characters)");

    private static string StatusTag(PaymentStatus status) => status switch
    {
        PaymentStatus.Success => "success",
        PaymentStatus.Cancelled => "cancelled",
        _ => "failed",
    };

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Received M-Pesa callback: {Payload}")]
    private static partial void LogReceived(ILogger logger, string payload);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Rejected M-Pesa callback with {StatusCode} ({Reason}): {Detail}")]
    private static partial void LogRejected(ILogger logger, int statusCode, string reason, string detail);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Processing transaction {CheckoutRequestId} - Result: {ResultCode} ({ResultStatus})")]
    private static partial void LogProcessing(ILogger logger, string checkoutRequestId, string resultCode, PaymentStatus resultStatus);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Callback for transaction {CheckoutRequestId}: {Anomaly}")]
    private static partial void LogAnomaly(ILogger logger, string checkoutRequestId, string anomaly);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Transaction {CheckoutRequestId} updated successfully")]
    private static partial void LogUpdated(ILogger logger, string checkoutRequestId);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "Transaction {CheckoutRequestId} already recorded: duplicate callback, nothing changed")]
    private static partial void LogDuplicate(ILogger logger, string checkoutRequestId);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning, Message = "Transaction {CheckoutRequestId} is already final ({Status}): conflicting callback kept in the inbox, not applied")]
    private static partial void LogConflict(ILogger logger, string checkoutRequestId, TransactionStatus status);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Error, Message = "Transaction {CheckoutRequestId} was not recorded, answered 503: transaction service {StatusCode}: {Detail}")]
    private static partial void LogNotRecorded(ILogger logger, string checkoutRequestId, string statusCode, string detail);

    [LoggerMessage(EventId = 6200, Level = LogLevel.Warning, Message = "Transaction {CheckoutRequestId} could not be recorded now (transaction service {StatusCode}: {Detail}); kept in the spool for replay and acknowledged")]
    private static partial void LogKept(ILogger logger, string checkoutRequestId, string statusCode, string detail);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Critical, Message = "Transaction {CheckoutRequestId} could not be kept in the spool at {Path} either")]
    private static partial void LogNotKept(ILogger logger, Exception exception, string checkoutRequestId, string path);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Information, Message = "Refused callback ({Reason}) kept in the spool for the operator")]
    private static partial void LogRefusedKept(ILogger logger, string reason);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Information, Message = "Refused callback ({Reason}) kept in the transaction service's inbox for the operator")]
    private static partial void LogRefusedKeptInInbox(ILogger logger, string reason);

    [LoggerMessage(EventId = 6205, Level = LogLevel.Debug, Message = "Refused callback ({Reason}) could not be kept in the inbox (transaction service {StatusCode}); keeping it in the spool")]
    private static partial void LogRefusedNotInInbox(ILogger logger, string reason, string statusCode);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Warning, Message = "Refused callback ({Reason}) could not be kept in the spool")]
    private static partial void LogRefusedNotKept(ILogger logger, Exception exception, string reason);
}
