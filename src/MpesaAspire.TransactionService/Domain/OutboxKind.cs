namespace MpesaAspire.TransactionService.Domain;

/// <summary>Who a queued notification is for (stored verbatim in <c>notification_outbox.kind</c>).</summary>
public enum OutboxKind
{
    AdminSuccess,
    AdminFailure,
    UserReceipt,
}
