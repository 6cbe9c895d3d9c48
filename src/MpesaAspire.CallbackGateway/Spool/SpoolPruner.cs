using Microsoft.Extensions.Options;

namespace MpesaAspire.CallbackGateway.Spool;

/// <summary>
/// Deletes kept callbacks older than <c>Spool:Retention</c>, every <c>Spool:PruneInterval</c>, in
/// small batches so that keeping a new callback never waits long for the file.
/// </summary>
public sealed partial class SpoolPruner(
    CallbackSpool spool,
    TimeProvider timeProvider,
    IOptions<SpoolOptions> options,
    ILogger<SpoolPruner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await PruneOnceAsync(stoppingToken);
                await Task.Delay(options.Value.PruneInterval, timeProvider, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Deletes everything past retention, one batch at a time.</summary>
    /// <returns>How many kept callbacks were deleted.</returns>
    internal async Task<int> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = timeProvider.GetUtcNow() - settings.Retention;
        var total = 0;
        try
        {
            int deleted;
            do
            {
                deleted = await spool.PruneAsync(cutoff, settings.PruneBatchSize, cancellationToken);
                total += deleted;
            }
            while (deleted == settings.PruneBatchSize);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPruneFailed(logger, ex);
        }

        if (total > 0)
        {
            LogPruned(logger, total, cutoff);
        }

        return total;
    }

    [LoggerMessage(EventId = 6220, Level = LogLevel.Information, Message = "Pruned {Count} kept callbacks received before {Cutoff:O}")]
    private static partial void LogPruned(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 6221, Level = LogLevel.Warning, Message = "Pruning the callback spool failed; trying again at the next interval")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
