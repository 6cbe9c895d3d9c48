namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// Notifications queued in the same database transaction as the change that implies them, delivered
/// later by whoever leases them. UNIQUE(transaction_id, kind): a notification can never be queued twice.
/// </summary>
public static class M0004NotificationOutbox
{
    public static Migration Migration { get; } = new(4, "notification outbox",
    [
        MigrationStep.Run("create table notification_outbox", """
            CREATE TABLE IF NOT EXISTS notification_outbox (
                id BIGINT AUTO_INCREMENT PRIMARY KEY,
                transaction_id INT NOT NULL,
                kind ENUM('AdminSuccess', 'AdminFailure', 'UserReceipt') NOT NULL,
                -- NULL: the admin chat configured in the notification service.
                chat_id BIGINT NULL,
                status ENUM('Pending', 'Delivered', 'Failed') NOT NULL DEFAULT 'Pending',
                attempts INT NOT NULL DEFAULT 0,
                -- All times UTC.
                next_attempt_at DATETIME(6) NOT NULL,
                lease_until DATETIME(6) NULL,
                last_error VARCHAR(1000) NULL,
                telegram_message_id BIGINT NULL,
                created_at DATETIME(6) NOT NULL,
                delivered_at DATETIME(6) NULL,
                UNIQUE KEY ux_notification_outbox_transaction_kind (transaction_id, kind),
                -- Leasing walks this index in due order and stops at its LIMIT, locking only what it takes.
                KEY ix_notification_outbox_due (status, next_attempt_at, id)
            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
            """),
    ]);
}
