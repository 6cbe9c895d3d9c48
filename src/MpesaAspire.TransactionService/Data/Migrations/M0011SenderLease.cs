namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// One row per sender role (the Telegram bot): which notification-service instance is the active
/// sender, and until when. Replicas elect one sender through it, so Telegram's per-chat and global
/// limits hold however many instances run. Version 11: version 10 is left to the outbox-kinds
/// migration written alongside it.
/// </summary>
public static class M0011SenderLease
{
    public static Migration Migration { get; } = new(11, "active sender lease",
    [
        MigrationStep.Run("create sender_lease", """
            CREATE TABLE IF NOT EXISTS sender_lease (
                name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
                holder VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
                lease_until DATETIME(6) NOT NULL
            ) ENGINE = InnoDB
            """),
    ]);
}
