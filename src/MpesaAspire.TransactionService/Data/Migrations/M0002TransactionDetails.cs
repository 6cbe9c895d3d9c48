namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// What the design needs beyond the seed's columns, and the indexes for history queries. Index names
/// are distinctive (<c>ix_…</c>) so they never collide with indexes an older database made itself.
/// </summary>
public static class M0002TransactionDetails
{
    public static Migration Migration { get; } = new(2, "transaction details and history indexes",
    [
        MigrationStep.EnsureInnoDbUtf8mb4("transactions"),
        MigrationStep.EnsureInnoDbUtf8mb4("users"),

        // String codes such as "SFC_IC0003" do not fit result_code INT, which keeps the numeric code only.
        MigrationStep.AddColumn("transactions", "result_code_raw", "VARCHAR(64) NULL AFTER result_code"),
        MigrationStep.AddColumn("transactions", "account_reference", "VARCHAR(64) NULL"),
        MigrationStep.AddColumn("transactions", "telegram_chat_id", "BIGINT NULL"),
        MigrationStep.AddColumn("transactions", "requested_amount", "DECIMAL(10, 2) NULL"),
        // When the final result was received, UTC.
        MigrationStep.AddColumn("transactions", "completed_at", "DATETIME(6) NULL"),

        MigrationStep.AddIndex("transactions", "ix_transactions_phone_created", "phone_number, created_at"),
        MigrationStep.AddIndex("transactions", "ix_transactions_status_created", "status, created_at"),
        MigrationStep.AddIndex("transactions", "ix_transactions_created", "created_at"),
        MigrationStep.AddIndex("users", "ix_users_phone_number", "phone_number"),

        // Rows written by the original server only have the numeric code: copy it so repeats compare equal.
        MigrationStep.Run("backfill transactions.result_code_raw", """
            UPDATE transactions
            SET result_code_raw = CAST(result_code AS CHAR)
            WHERE result_code_raw IS NULL AND result_code IS NOT NULL
            """),
    ]);
}
