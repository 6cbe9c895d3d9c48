using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Diagnostics;
using MySqlConnector;

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
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var deadline = timeProvider.GetUtcNow() + options.Value.MigrationTimeout;
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (attempt == 1)
                {
                    state.Waiting("Applying database migrations.");
                }

                await migrator.MigrateAsync(stoppingToken);
                state.Completed();
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (IsNotReadyYet(exception) && timeProvider.GetUtcNow() + delay < deadline)
            {
                state.Waiting($"Waiting for the database (attempt {attempt}): {exception.Message}");
                TransactionServiceLog.DatabaseNotReady(logger, attempt, delay, exception.Message);
                await Task.Delay(delay, timeProvider, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
            catch (Exception exception)
            {
                state.Failed(exception);
                TransactionServiceLog.MigrationsFailed(logger, exception);
                Environment.ExitCode = 1;
                lifetime.StopApplication();
                return;
            }
        }
    }

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
