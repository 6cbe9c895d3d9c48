namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// One DDL or data statement, with an optional guard: a query counting what the step would create;
/// the step runs only when it counts zero. Portable to MariaDB 10.11 and MySQL 8 (no
/// <c>ADD COLUMN IF NOT EXISTS</c>, which MySQL lacks).
/// </summary>
public sealed record MigrationStep(string Description, string Sql, string? SkipWhenNonZero = null, object? GuardParameters = null)
{
    private const string ColumnCountSql = """
        SELECT COUNT(*) FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @Table AND COLUMN_NAME = @Column
        """;

    private const string IndexCountSql = """
        SELECT COUNT(*) FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @Table AND INDEX_NAME = @Index
        """;

    private const string InnoDbUtf8mb4CountSql = """
        SELECT COUNT(*) FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @Table
          AND ENGINE = 'InnoDB' AND TABLE_COLLATION LIKE 'utf8mb4%'
        """;

    /// <summary>A statement that is idempotent by itself (CREATE TABLE IF NOT EXISTS, a guarded UPDATE).</summary>
    public static MigrationStep Run(string description, string sql) => new(description, sql);

    /// <summary><c>ALTER TABLE table ADD COLUMN column definition</c>, unless the column exists.</summary>
    public static MigrationStep AddColumn(string table, string column, string definition) => new(
        $"add column {table}.{column}",
        $"ALTER TABLE `{table}` ADD COLUMN `{column}` {definition}",
        ColumnCountSql,
        new { Table = table, Column = column });

    /// <summary><c>CREATE INDEX</c>, unless an index of that name exists on the table.</summary>
    public static MigrationStep AddIndex(string table, string index, string columns) => new(
        $"add index {table}.{index}",
        $"CREATE INDEX `{index}` ON `{table}` ({columns})",
        IndexCountSql,
        new { Table = table, Index = index });

    /// <summary>
    /// Converts a table created elsewhere (the original Python server's schema may have used MyISAM or
    /// latin1) to InnoDB and utf8mb4, keeping its rows; nothing happens when it is both already.
    /// </summary>
    public static MigrationStep EnsureInnoDbUtf8mb4(string table) => new(
        $"convert {table} to InnoDB utf8mb4",
        $"ALTER TABLE `{table}` ENGINE = InnoDB, CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
        InnoDbUtf8mb4CountSql,
        new { Table = table });
}
