using Dapper;
using MpesaAspire.TransactionService.Diagnostics;
using MpesaAspire.TransactionService.Domain;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Data;

/// <summary>
/// Answers whether MySQL takes queries right now; reports a failure instead of throwing it. The
/// error itself (which may name the database user or host) goes to this service's log only.
/// </summary>
public sealed class DatabaseProbe(MySqlDataSource dataSource, ILogger<DatabaseProbe> logger)
{
    public async Task<DatabaseStatus> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var version = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT VERSION()", cancellationToken: cancellationToken));
            return new DatabaseStatus(true, version ?? "");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            TransactionServiceLog.DatabaseCheckFailed(logger, exception.Message);
            return new DatabaseStatus(false, DatabaseStatus.Unavailable);
        }
    }
}
