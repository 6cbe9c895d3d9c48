namespace MpesaAspire.TransactionService.Domain;

/// <summary>Who a queued notification is for (stored verbatim in <c>notification_outbox.kind</c>).</summary>
public enum OutboxKind
{
    AdminSuccess,
    AdminFailure,
    UserReceipt,

    /// <summary>The admin: a success that failed verification (instead of the success message; no receipt).</summary>
    AdminUnverified,

    /// <summary>The admin: a second, different result came for a payment already final.</summary>
    AdminConflict,
}
