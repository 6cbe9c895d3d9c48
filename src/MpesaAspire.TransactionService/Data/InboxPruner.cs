using Dapper;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Data.Migrations;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Data;

/// <summary>
/// Deletes raw callbacks from the inbox once they are older than <c>InboxRetention:Retention</c>
/// (by their last delivery), every <c>InboxRetention:PruneInterval</c>, in small batches. The
/// transactions they produced are kept.
/// </summary>
public sealed partial class InboxPruner(
    MySqlDataSource dataSource,
    MigrationState migrations,
    TimeProvider timeProvider,
    IOptions<InboxRetentionOptions> options,
    ILogger<InboxPruner> logger) : BackgroundService
{
    private static readonly TimeSpan UntilMigrated = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (migrations.IsCompleted)
                {
                    await PruneOnceAsync(stoppingToken);
                }

                await Task.Delay(migrations.IsCompleted ? options.Value.PruneInterval : UntilMigrated, timeProvider, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Deletes every inbox row past retention, one batch at a time; a failure waits for the next pass.</summary>
    /// <returns>How many rows were deleted.</returns>
    public async Task<int> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = DbTime.Utc(timeProvider.GetUtcNow() - settings.Retention);
        var total = 0;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            int deleted;
            do
            {
                // Oldest ids first: old rows sit at the start of the primary key, so each batch
                // finds its rows without scanning the table.
                deleted = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    DELETE FROM stk_callback_inbox
                    WHERE last_received_at < @cutoff
                    ORDER BY id
                    LIMIT @batch
                    """,
                    new { cutoff, batch = settings.PruneBatchSize },
                    cancellationToken: cancellationToken));
                total += deleted;
            }
            while (deleted == settings.PruneBatchSize);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPruneFailed(logger, ex.Message);
        }

        if (total > 0)
        {
            LogPruned(logger, total, cutoff);
        }

        return total;
    }

    [LoggerMessage(EventId = 5300, Level = LogLevel.Information, Message = "Pruned {Count} inbox callbacks last received before {Cutoff:O} (UTC)")]
    private static partial void LogPruned(ILogger logger, int count, DateTime cutoff);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Pruning the callback inbox failed ({Detail}); trying again at the next interval")]
    private static partial void LogPruneFailed(ILogger logger, string detail);
}
