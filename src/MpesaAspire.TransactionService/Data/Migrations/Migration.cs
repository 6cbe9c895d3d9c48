namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// One versioned schema change. MySQL commits DDL implicitly, so a migration cannot be rolled back:
/// instead every step is guarded (it runs only while its change is missing), which makes a migration
/// safe to re-run after a crash half-way through.
/// </summary>
public sealed record Migration(int Version, string Name, IReadOnlyList<MigrationStep> Steps);
