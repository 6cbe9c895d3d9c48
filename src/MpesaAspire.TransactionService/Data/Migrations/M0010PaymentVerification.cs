namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// Verification of success (<c>Payments:Verification</c>): the <c>Unverified</c> status and its
/// reason, the flag of a paid amount that differs from the requested one, the success held until
/// STK Push Query confirms it, the inbox outcomes of held and refuted successes, and the admin's
/// warning and conflict messages with the line they show.
/// </summary>
public static class M0010PaymentVerification
{
    // Each ENUM is widened only when it lacks the value (a column that is not an ENUM takes it as it is).
    private const string EnumHasValueSql = """
        SELECT COUNT(*) FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @Table AND COLUMN_NAME = @Column
          AND (DATA_TYPE <> 'enum' OR COLUMN_TYPE LIKE @Value)
        """;

    public static Migration Migration { get; } = new(10, "payment verification: unverified status, amount flag, held success, warnings",
    [
        new MigrationStep(
            "add Unverified to transactions.status",
            "ALTER TABLE transactions MODIFY COLUMN status ENUM('Pending', 'Success', 'Failed', 'Cancelled', 'NeedsReview', 'Unverified')",
            EnumHasValueSql,
            new { Table = "transactions", Column = "status", Value = "%'Unverified'%" }),

        // Why a success is Unverified, or why a held success was refuted (kept after promotion for the record).
        MigrationStep.AddColumn("transactions", "verification_reason", "VARCHAR(255) NULL"),

        // 1 when the amount paid differs from requested_amount (flagged in every verification mode).
        MigrationStep.AddColumn("transactions", "amount_mismatch", "TINYINT(1) NOT NULL DEFAULT 0"),

        // The success callback awaiting confirmation by STK Push Query (JSON), while the payment is
        // Pending, or Unverified because the queries were inconclusive; NULL otherwise.
        MigrationStep.AddColumn("transactions", "held_success", "TEXT NULL"),

        // UTC: when the success was held; with Payments:VerificationTimeout it decides when to give up waiting.
        MigrationStep.AddColumn("transactions", "held_at", "DATETIME(6) NULL"),

        new MigrationStep(
            "add Held and Refuted to stk_callback_inbox.outcome",
            "ALTER TABLE stk_callback_inbox MODIFY COLUMN outcome ENUM('Applied', 'Duplicate', 'Conflict', 'Rejected', 'Held', 'Refuted') NOT NULL",
            EnumHasValueSql,
            new { Table = "stk_callback_inbox", Column = "outcome", Value = "%'Refuted'%" }),

        new MigrationStep(
            "add AdminUnverified and AdminConflict to notification_outbox.kind",
            "ALTER TABLE notification_outbox MODIFY COLUMN kind ENUM('AdminSuccess', 'AdminFailure', 'UserReceipt', 'AdminUnverified', 'AdminConflict') NOT NULL",
            EnumHasValueSql,
            new { Table = "notification_outbox", Column = "kind", Value = "%'AdminConflict'%" }),

        // What a warning shows besides the payment (the conflicting result), fixed when it is queued.
        MigrationStep.AddColumn("notification_outbox", "detail", "VARCHAR(255) NULL"),
    ]);
}
