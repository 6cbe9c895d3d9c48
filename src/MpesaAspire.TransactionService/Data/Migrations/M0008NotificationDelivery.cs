namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// Delivery owned by the notification service: a lease carries its holder's token, a send that has
/// started is recorded before it leaves (<c>Sending</c>), a receipt whose outcome is unknown is kept
/// aside (<c>Uncertain</c>), dry-run renders are not deliveries (<c>DryRun</c>), and a notification that
/// keeps failing leaves the queue (<c>DeadLetter</c>) until an operator re-arms it. Version 8: version 6
/// is the rejected-callbacks migration written alongside it.
/// </summary>
public static class M0008NotificationDelivery
{
    public static Migration Migration { get; } = new(8, "notification delivery states and lease tokens",
    [
        // Idempotent: re-running sets the same definition. Existing values keep their meaning.
        MigrationStep.Run("extend notification_outbox.status", """
            ALTER TABLE notification_outbox MODIFY COLUMN status
                ENUM('Pending', 'Delivered', 'Failed', 'Sending', 'Uncertain', 'DryRun', 'DeadLetter') NOT NULL DEFAULT 'Pending'
            """),
        // The token of the lease that holds the row; only its holder may mark or complete it.
        MigrationStep.AddColumn("notification_outbox", "lease_token", "CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL"),
        // UTC: when the row last entered the queue (queued, resent or re-armed); dead-lettering counts from here.
        MigrationStep.AddColumn("notification_outbox", "armed_at", "DATETIME(6) NULL"),
        // W3C traceparent of the change that queued it: its delivery, whenever it happens, joins that trace.
        MigrationStep.AddColumn("notification_outbox", "trace_parent", "VARCHAR(55) CHARACTER SET ascii COLLATE ascii_bin NULL"),
    ]);
}
