namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// Every callback body exactly as received, one row per distinct payload of a checkout request: a
/// repeat of the identical body only counts a delivery. Kept for audit, replay and conflicts.
/// </summary>
public static class M0003CallbackInbox
{
    public static Migration Migration { get; } = new(3, "stk callback inbox",
    [
        MigrationStep.Run("create table stk_callback_inbox", """
            CREATE TABLE IF NOT EXISTS stk_callback_inbox (
                id BIGINT AUTO_INCREMENT PRIMARY KEY,
                checkout_request_id VARCHAR(100) NOT NULL,
                payload_sha256 CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
                raw_payload MEDIUMTEXT NOT NULL,
                result_code_raw VARCHAR(64) NOT NULL,
                outcome ENUM('Applied', 'Duplicate', 'Conflict') NOT NULL,
                delivery_count INT NOT NULL DEFAULT 1,
                -- UTC
                first_received_at DATETIME(6) NOT NULL,
                last_received_at DATETIME(6) NOT NULL,
                UNIQUE KEY ux_stk_callback_inbox_checkout_payload (checkout_request_id, payload_sha256),
                KEY ix_stk_callback_inbox_outcome (outcome, first_received_at)
            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
            """),
    ]);
}
