namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// What starting payments and reconciling them need: the idempotency keys of pushes, the Daraja token
/// shared by replicas, when each pending payment is next queried, and the <c>NeedsReview</c> status
/// of a payment whose outcome is still unknown after a day.
/// </summary>
public static class M0007StkPushAndReconciliation
{
    // The seed's status column is an ENUM; a database whose column is something else (VARCHAR) takes the value as it is.
    private const string NeedsReviewPresentSql = """
        SELECT COUNT(*) FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'transactions' AND COLUMN_NAME = 'status'
          AND (DATA_TYPE <> 'enum' OR COLUMN_TYPE LIKE '%''NeedsReview''%')
        """;

    public static Migration Migration { get; } = new(7, "stk push idempotency, daraja token, reconciliation",
    [
        new MigrationStep(
            "add NeedsReview to transactions.status",
            "ALTER TABLE transactions MODIFY COLUMN status ENUM('Pending', 'Success', 'Failed', 'Cancelled', 'NeedsReview')",
            NeedsReviewPresentSql),

        // UTC. NULL: not queried yet, due FirstQueryAfter after created_at. Claimed by moving it forward atomically.
        MigrationStep.AddColumn("transactions", "next_query_at", "DATETIME(6) NULL"),
        MigrationStep.AddColumn("transactions", "query_count", "INT NOT NULL DEFAULT 0"),

        MigrationStep.Run("create table stk_push_requests", """
            CREATE TABLE IF NOT EXISTS stk_push_requests (
                id BIGINT AUTO_INCREMENT PRIMARY KEY,
                idempotency_key VARCHAR(128) NOT NULL,
                -- The request the key was first used for: the same key with another payment is refused.
                request_sha256 CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
                -- Pushing: sent or being sent; Accepted: Daraja gave a checkout id; Unknown: no answer came,
                -- so the push may have reached the phone and is never sent again under this key.
                state ENUM('Pushing', 'Accepted', 'Unknown') NOT NULL,
                checkout_request_id VARCHAR(100) NULL,
                merchant_request_id VARCHAR(100) NULL,
                customer_message VARCHAR(255) NULL,
                -- UTC
                created_at DATETIME(6) NOT NULL,
                updated_at DATETIME(6) NOT NULL,
                UNIQUE KEY ux_stk_push_requests_key (idempotency_key)
            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
            """),

        MigrationStep.Run("create table daraja_tokens", """
            CREATE TABLE IF NOT EXISTS daraja_tokens (
                -- SHA-256 of base URL, consumer key and secret: one token per credential set, never the credentials.
                credential_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
                access_token VARCHAR(512) NOT NULL,
                -- UTC
                expires_at DATETIME(6) NOT NULL,
                fetched_at DATETIME(6) NOT NULL
            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
            """),
    ]);
}
