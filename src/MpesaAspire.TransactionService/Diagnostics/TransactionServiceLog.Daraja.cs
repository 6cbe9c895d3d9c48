namespace MpesaAspire.TransactionService.Diagnostics;

/// <summary>
/// Log messages of the Daraja client, STK pushes and reconciliation: event ids 5000–5199
/// (5000–5049 Daraja client, 5050–5099 pushes, 5100–5199 reconciliation). Phones are masked; secrets
/// and tokens never appear.
/// </summary>
internal static partial class TransactionServiceLog
{
    // 5000–5049: Daraja client
    [LoggerMessage(5000, LogLevel.Information, "Fetched a new Daraja access token, valid until {ExpiresAt:O}")]
    public static partial void DarajaTokenFetched(ILogger logger, DateTimeOffset expiresAt);

    [LoggerMessage(5001, LogLevel.Warning, "Daraja called the access token invalid (404.001.03) on {Operation}: replacing it and sending once more")]
    public static partial void DarajaTokenRejected(ILogger logger, string operation);

    [LoggerMessage(5002, LogLevel.Warning, "Daraja did not answer {Operation}: {Error}")]
    public static partial void DarajaUnreachable(ILogger logger, string operation, string error);

    [LoggerMessage(5003, LogLevel.Warning, "Daraja refused {Operation}: HTTP {Status} {ErrorCode} {ErrorMessage} (request {RequestId})")]
    public static partial void DarajaError(ILogger logger, string operation, int status, string errorCode, string errorMessage, string requestId);

    // 5050–5099: STK pushes
    [LoggerMessage(5050, LogLevel.Information, "STK Push {CheckoutRequestId} started for {Phone}, amount {Amount}")]
    public static partial void PushStarted(ILogger logger, string checkoutRequestId, string phone, int amount);

    [LoggerMessage(5051, LogLevel.Information, "Idempotency key already used: answering with STK Push {CheckoutRequestId}, nothing sent")]
    public static partial void PushRepeated(ILogger logger, string checkoutRequestId);

    [LoggerMessage(5052, LogLevel.Warning, "STK Push for {Phone} refused by Daraja: {Error}")]
    public static partial void PushRefused(ILogger logger, string phone, string error);

    [LoggerMessage(5053, LogLevel.Warning, "STK Push for {Phone} has an unknown outcome (no answer from Daraja); its idempotency key is kept so it is never sent again")]
    public static partial void PushOutcomeUnknown(ILogger logger, string phone);

    // 5100–5199: reconciliation
    [LoggerMessage(5100, LogLevel.Information, "Reconciliation: {CheckoutRequestId} is {Status} according to STK Push Query (result {ResultCode})")]
    public static partial void QueryConfirmed(ILogger logger, string checkoutRequestId, string status, string resultCode);

    [LoggerMessage(5101, LogLevel.Debug, "Reconciliation: {CheckoutRequestId} still pending ({Reason}); next query at {NextQueryAt:O}")]
    public static partial void StillPending(ILogger logger, string checkoutRequestId, string reason, DateTime nextQueryAt);

    [LoggerMessage(5102, LogLevel.Warning, "Reconciliation: {CheckoutRequestId} is still pending {Age} after it started: marked NeedsReview for the operator")]
    public static partial void NeedsReview(ILogger logger, string checkoutRequestId, TimeSpan age);

    [LoggerMessage(5103, LogLevel.Error, "Reconciliation round failed; trying again later")]
    public static partial void ReconciliationFailed(ILogger logger, Exception exception);

    [LoggerMessage(5104, LogLevel.Information, "Reconcile now: {Count} pending payment(s) made due for a query")]
    public static partial void ReconcileNow(ILogger logger, int count);
}
