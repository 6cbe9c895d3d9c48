using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Diagnostics;
using MpesaAspire.Transactions.V1;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>
/// Takes one STK Push callback from the wire to the transaction service: reads and parses it
/// tolerantly, refuses what is not a callback without writing anything, and records the rest
/// durably before the gateway may tell Safaricom it was received.
/// </summary>
public sealed partial class StkCallbackIntake(
    TransactionsClient transactions,
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
            LogReceived(logger, Shorten(PhoneNumberMasker.MaskJson(payload)));
        }

        if (!StkCallbackParser.TryParse(payload, out var callback, out var rejection))
        {
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

            return CallbackIntakeResult.Recorded(callback.CheckoutRequestId, response.QueuedNotifications);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            metrics.RecordingCompleted(timeProvider.GetElapsedTime(started), "rejected");
            return Reject(
                new CallbackRejection(CallbackRejectionReason.RefusedByTransactionService, $"The callback was refused: {ex.Status.Detail}"),
                callback.CheckoutRequestId);
        }
        catch (RpcException ex)
        {
            return NotRecorded(callback, status, started, ex.StatusCode.ToString(), ex.Status.Detail);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return NotRecorded(callback, status, started, ex.GetType().Name, ex.Message);
        }
    }

    private CallbackIntakeResult NotRecorded(StkCallback callback, string status, long started, string code, string detail)
    {
        metrics.RecordingCompleted(timeProvider.GetElapsedTime(started), "unavailable");
        metrics.CallbackReceived(status, "unavailable");
        Activity.Current?.SetStatus(ActivityStatusCode.Error, "callback not recorded");
        LogNotRecorded(logger, callback.CheckoutRequestId, code, detail);
        return CallbackIntakeResult.NotRecorded(
            callback.CheckoutRequestId, $"The callback could not be recorded: the transaction service is unavailable ({code}).");
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

    private static string StatusTag(StkCallbackStatus status) => status switch
    {
        StkCallbackStatus.Success => "success",
        StkCallbackStatus.Cancelled => "cancelled",
        _ => "failed",
    };

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Received M-Pesa callback: {Payload}")]
    private static partial void LogReceived(ILogger logger, string payload);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Rejected M-Pesa callback with {StatusCode} ({Reason}): {Detail}")]
    private static partial void LogRejected(ILogger logger, int statusCode, string reason, string detail);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Processing transaction {CheckoutRequestId} - Result: {ResultCode} ({ResultStatus})")]
    private static partial void LogProcessing(ILogger logger, string checkoutRequestId, string resultCode, StkCallbackStatus resultStatus);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Callback for transaction {CheckoutRequestId}: {Anomaly}")]
    private static partial void LogAnomaly(ILogger logger, string checkoutRequestId, string anomaly);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Transaction {CheckoutRequestId} updated successfully")]
    private static partial void LogUpdated(ILogger logger, string checkoutRequestId);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Transaction {CheckoutRequestId} already recorded: duplicate callback, nothing changed")]
    private static partial void LogDuplicate(ILogger logger, string checkoutRequestId);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Transaction {CheckoutRequestId} is already final ({Status}): conflicting callback kept in the inbox, not applied")]
    private static partial void LogConflict(ILogger logger, string checkoutRequestId, TransactionStatus status);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "Transaction {CheckoutRequestId} was not recorded, answered 503: transaction service {StatusCode}: {Detail}")]
    private static partial void LogNotRecorded(ILogger logger, string checkoutRequestId, string statusCode, string detail);
}
