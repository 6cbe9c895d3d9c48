using Dapper;
using MpesaAspire.TransactionService.Diagnostics;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// Brings the database to the latest schema version. Concurrent instances are serialised with a
/// named lock (<c>GET_LOCK</c>, one per database); <c>schema_migrations</c> records what is applied.
/// </summary>
public sealed class DatabaseMigrator(MySqlDataSource dataSource, TimeProvider timeProvider, ILogger<DatabaseMigrator> logger)
{
    /// <summary>How long an instance waits for another one that is migrating the same database.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(5);

    // GET_LOCK names are server-wide and at most 64 characters: derive one from the database name.
    private const string LockNameSql = "CONCAT('mpesa-aspire-migrations:', LEFT(SHA2(DATABASE(), 256), 32))";

    private const string CreateHistorySql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INT NOT NULL PRIMARY KEY,
            name VARCHAR(200) NOT NULL,
            -- UTC
            applied_at DATETIME(6) NOT NULL
        ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
        """;

    private readonly IReadOnlyList<Migration> _migrations = SchemaMigrations.All;

    /// <summary>Applies every migration not yet recorded, in order; returns the versions it applied.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var locked = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            $"SELECT GET_LOCK({LockNameSql}, @Seconds)",
            new { Seconds = (int)LockTimeout.TotalSeconds },
            cancellationToken: cancellationToken));
        if (locked != 1)
        {
            throw new TimeoutException(
                $"Another instance has been migrating database '{connection.Database}' for more than {LockTimeout.TotalMinutes:0} minutes.");
        }

        try
        {
            return await ApplyPendingAsync(connection, cancellationToken);
        }
        finally
        {
            // Released with the connection anyway; releasing early lets a waiting instance go on at once.
            await connection.ExecuteAsync(new CommandDefinition(
                $"DO RELEASE_LOCK({LockNameSql})", cancellationToken: CancellationToken.None));
        }
    }

    /// <summary>The highest version recorded in <c>schema_migrations</c>, 0 for a database never migrated.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await AppliedVersionsAsync(connection, cancellationToken)).DefaultIfEmpty(0).Max();
    }

    private async Task<IReadOnlyList<int>> ApplyPendingAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(CreateHistorySql, cancellationToken: cancellationToken));
        var applied = (await AppliedVersionsAsync(connection, cancellationToken)).ToHashSet();
        var pending = _migrations.Where(m => !applied.Contains(m.Version)).ToList();
        if (pending.Count == 0)
        {
            TransactionServiceLog.MigrationsCompleted(logger, SchemaMigrations.LatestVersion);
            return [];
        }

        TransactionServiceLog.MigrationsStarting(logger, applied.DefaultIfEmpty(0).Max(), SchemaMigrations.LatestVersion);
        foreach (var migration in pending)
        {
            foreach (var step in migration.Steps)
            {
                if (step.SkipWhenNonZero is { } guard
                    && await connection.ExecuteScalarAsync<long>(new CommandDefinition(guard, step.GuardParameters, cancellationToken: cancellationToken)) != 0)
                {
                    continue;
                }

                await connection.ExecuteAsync(new CommandDefinition(step.Sql, cancellationToken: cancellationToken));
                TransactionServiceLog.MigrationStepApplied(logger, migration.Version, step.Description);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = timeProvider.GetUtcNow().UtcDateTime },
                cancellationToken: cancellationToken));
            TransactionServiceLog.MigrationApplied(logger, migration.Version, migration.Name);
        }

        TransactionServiceLog.MigrationsCompleted(logger, SchemaMigrations.LatestVersion);
        return [.. pending.Select(m => m.Version)];
    }

    private static async Task<IEnumerable<int>> AppliedVersionsAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'schema_migrations'",
            cancellationToken: cancellationToken));
        return exists == 0
            ? []
            : await connection.QueryAsync<int>(new CommandDefinition("SELECT version FROM schema_migrations", cancellationToken: cancellationToken));
    }
}
