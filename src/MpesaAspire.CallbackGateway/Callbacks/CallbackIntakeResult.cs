using MpesaAspire.Transactions.V1;

namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>The end of one callback request.</summary>
/// <param name="Outcome">Recorded, kept in the spool, rejected or not recorded.</param>
/// <param name="CheckoutRequestId">The callback's CheckoutRequestID, when it could be read.</param>
/// <param name="Rejection">Why it was rejected.</param>
/// <param name="Failure">Why it could not be recorded, for the 503 answer.</param>
/// <param name="QueuedNotifications">Notifications recording queued; the notification service delivers them (the gateway only passes their ids on).</param>
public sealed record CallbackIntakeResult(
    CallbackIntakeOutcome Outcome,
    string? CheckoutRequestId,
    CallbackRejection? Rejection,
    string? Failure,
    IReadOnlyList<PendingNotification> QueuedNotifications)
{
    public static CallbackIntakeResult Recorded(string checkoutRequestId, IReadOnlyList<PendingNotification> queuedNotifications) =>
        new(CallbackIntakeOutcome.Recorded, checkoutRequestId, null, null, queuedNotifications);

    public static CallbackIntakeResult Kept(string checkoutRequestId) =>
        new(CallbackIntakeOutcome.Kept, checkoutRequestId, null, null, []);

    public static CallbackIntakeResult Rejected(CallbackRejection rejection, string? checkoutRequestId = null) =>
        new(CallbackIntakeOutcome.Rejected, checkoutRequestId, rejection, null, []);

    public static CallbackIntakeResult NotRecorded(string checkoutRequestId, string failure) =>
        new(CallbackIntakeOutcome.NotRecorded, checkoutRequestId, null, failure, []);
}
