using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Diagnostics;
using MySqlConnector;
using Polly;
using Polly.Retry;

namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// Applies the migrations at start-up, in the background so <c>/health</c> can answer "Unhealthy"
/// meanwhile. While MySQL is not reachable yet (it may start after this service) it keeps retrying
/// for <see cref="TransactionStoreOptions.MigrationTimeout"/>, then stops the service with exit code 1.
/// </summary>
public sealed class MigrationHostedService(
    DatabaseMigrator migrator,
    MigrationState state,
    IOptions<TransactionStoreOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<MigrationHostedService> logger) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            state.Waiting("Applying database migrations.");
            await WaitingForTheDatabase(timeProvider.GetUtcNow() + options.Value.MigrationTimeout)
                .ExecuteAsync(async token => await migrator.MigrateAsync(token), stoppingToken);
            state.Completed();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            state.Failed(exception);
            TransactionServiceLog.MigrationsFailed(logger, exception);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    /// <summary>Tries again while the database is not ready yet and the next try still starts before the deadline.</summary>
    private ResiliencePipeline WaitingForTheDatabase(DateTimeOffset deadline) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception && IsNotReadyYet(exception)
                    && timeProvider.GetUtcNow() + DelayAfter(args.AttemptNumber) < deadline),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayAfter(args.AttemptNumber)),
                OnRetry = args =>
                {
                    var attempt = args.AttemptNumber + 1;
                    var error = args.Outcome.Exception!.Message;
                    state.Waiting($"Waiting for the database (attempt {attempt}): {error}");
                    TransactionServiceLog.DatabaseNotReady(logger, attempt, args.RetryDelay, error);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>250 ms after the first failed try, doubling up to 5 s.</summary>
    private static TimeSpan DelayAfter(int retriesSoFar) => Backoff.Exponential(retriesSoFar + 1, FirstDelay, MaxDelay);

    /// <summary>Failures that go away once MySQL has started and its init script has run.</summary>
    private static bool IsNotReadyYet(Exception exception) => exception switch
    {
        MySqlException mySql => mySql.IsTransient
            || mySql.ErrorCode is MySqlErrorCode.UnableToConnectToHost
                or MySqlErrorCode.AccessDenied
                or MySqlErrorCode.UnknownDatabase
                or MySqlErrorCode.LockWaitTimeout
                or MySqlErrorCode.LockDeadlock,
        SocketException or TimeoutException or EndOfStreamException or IOException => true,
        DbException { IsTransient: true } => true,
        _ => false,
    };
}
