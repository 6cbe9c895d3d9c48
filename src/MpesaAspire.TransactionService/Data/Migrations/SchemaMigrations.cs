namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>Every migration, in version order. Append only: a released migration never changes.</summary>
public static class SchemaMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        M0001SeedTables.Migration,
        M0002TransactionDetails.Migration,
        M0003CallbackInbox.Migration,
        M0004NotificationOutbox.Migration,
        M0005CallbackTrace.Migration,
        M0006RejectedCallbacks.Migration,
        M0007StkPushAndReconciliation.Migration,
        M0008NotificationDelivery.Migration,
        M0009InboxOverflow.Migration,
        M0010PaymentVerification.Migration,
        M0011SenderLease.Migration,
    ];

    public static int LatestVersion => All[^1].Version;
}
