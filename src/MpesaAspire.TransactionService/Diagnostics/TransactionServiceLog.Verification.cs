namespace MpesaAspire.TransactionService.Diagnostics;

/// <summary>
/// Log messages of the verification of successes (<c>Payments:Verification</c>): event ids 5500–5599.
/// Phones are masked.
/// </summary>
internal static partial class TransactionServiceLog
{
    [LoggerMessage(5500, LogLevel.Information, "Payment verification mode: {Mode}")]
    public static partial void VerificationMode(ILogger logger, string mode);

    [LoggerMessage(5501, LogLevel.Information, "Success callback for {CheckoutRequestId} held until STK Push Query confirms it")]
    public static partial void SuccessHeld(ILogger logger, string checkoutRequestId);

    [LoggerMessage(5502, LogLevel.Warning, "Success for {CheckoutRequestId} recorded Unverified: {Reason}")]
    public static partial void SuccessUnverified(ILogger logger, string checkoutRequestId, string reason);

    [LoggerMessage(5503, LogLevel.Warning,
        "Success callback for {CheckoutRequestId} refuted by {Source} (result {ResultCode}): treated as forged, the payment takes that result")]
    public static partial void SuccessRefuted(ILogger logger, string checkoutRequestId, string source, string resultCode);

    [LoggerMessage(5504, LogLevel.Information, "Success for {CheckoutRequestId} confirmed by {Source}")]
    public static partial void SuccessConfirmed(ILogger logger, string checkoutRequestId, string source);

    [LoggerMessage(5505, LogLevel.Warning, "Conflicting result for {CheckoutRequestId}: the admin is alerted")]
    public static partial void ConflictAlertQueued(ILogger logger, string checkoutRequestId);

    [LoggerMessage(5506, LogLevel.Information, "Operator confirmation of {CheckoutRequestId} refused: the payment is {Status}")]
    public static partial void ConfirmationRefused(ILogger logger, string checkoutRequestId, string status);
}
