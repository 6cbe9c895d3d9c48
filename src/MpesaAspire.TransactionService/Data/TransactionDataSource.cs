using MySqlConnector;

namespace MpesaAspire.TransactionService.Data;

/// <summary>Builds the one <see cref="MySqlDataSource"/> of the service (pooled; traced and metered by MySqlConnector itself).</summary>
public static class TransactionDataSource
{
    private const string UtcSessionSql = "SET time_zone = '+00:00'";

    public static MySqlDataSource Create(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        var builder = new MySqlDataSourceBuilder(connectionString);
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        return builder.UseConnectionOpenedCallback(UseUtcSessionAsync).Build();
    }

    /// <summary>
    /// The seed's <c>created_at</c>/<c>updated_at</c> are TIMESTAMP columns, which MySQL converts to and
    /// from the session time zone: pin every session to UTC so they read and write UTC whatever the
    /// server's default. (A pooled connection that was reset lost the setting, so it is set again.)
    /// </summary>
    private static async ValueTask UseUtcSessionAsync(MySqlConnectionOpenedContext context, CancellationToken cancellationToken)
    {
        if (context.Conditions == MySqlConnectionOpenedConditions.None)
        {
            return;
        }

        await using var command = context.Connection.CreateCommand();
        command.CommandText = UtcSessionSql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
