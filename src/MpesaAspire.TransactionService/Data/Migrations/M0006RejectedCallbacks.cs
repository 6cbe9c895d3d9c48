namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// Refused callback bodies kept in the inbox for the operator: outcome <c>Rejected</c> with the
/// reason. They produce no transaction and no notification.
/// </summary>
public static class M0006RejectedCallbacks
{
    public static Migration Migration { get; } = new(6, "rejected callbacks in the inbox",
    [
        // Re-running the same MODIFY is harmless, so the step is idempotent by itself.
        MigrationStep.Run("allow outcome Rejected", """
            ALTER TABLE stk_callback_inbox
            MODIFY outcome ENUM('Applied', 'Duplicate', 'Conflict', 'Rejected') NOT NULL
            """),
        MigrationStep.AddColumn("stk_callback_inbox", "rejection_reason", "VARCHAR(500) NULL"),
    ]);
}
