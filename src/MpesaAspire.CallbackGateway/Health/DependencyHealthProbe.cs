using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Apis;
using MpesaAspire.CallbackGateway.Spool;
using MpesaAspire.Notifications.V1;
using MpesaAspire.Transactions.V1;
using NotificationsClient = MpesaAspire.Notifications.V1.Notifications.NotificationsClient;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.CallbackGateway.Health;

/// <summary>
/// Answers the product's health question: does the database answer (through the transaction
/// service), what is the Telegram bot's state (through the notification service), and what waits
/// in the gateway's spool. The services are asked in parallel under one short deadline.
/// </summary>
public sealed partial class DependencyHealthProbe(
    TransactionsClient transactions,
    NotificationsClient notifications,
    CallbackSpool spool,
    TimeProvider timeProvider,
    IOptions<HealthOptions> options,
    IOptions<SpoolOptions> spoolOptions,
    ILogger<DependencyHealthProbe> logger)
{
    public const string ServiceName = "mpesa-callback-server";
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Unhealthy = "unhealthy";

    public async Task<HealthResponse> CheckAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var deadline = now.UtcDateTime + options.Value.CheckDeadline;

        var database = CheckDatabaseAsync(deadline, cancellationToken);
        var telegram = CheckTelegramAsync(deadline, cancellationToken);
        var kept = CheckSpoolAsync(now, cancellationToken);
        await Task.WhenAll(database, telegram, kept);

        var (connected, reason, daraja, verification) = await database;
        if (!connected)
        {
            // The detail (which may name a user, a host or a schema) goes to the log only: the document is public.
            LogDatabaseDisconnected(logger, reason!);
        }

        var spoolHealth = await kept;
        var keepFailedRecently = spool.LastKeepFailure is { } failedAt && now - failedAt < spoolOptions.Value.FailureMemory;
        if (keepFailedRecently)
        {
            spoolHealth = spoolHealth with { Writable = false };
        }

        var status = !spoolHealth.Writable
            ? Unhealthy
            : !connected || spoolHealth.Waiting > 0 ? Degraded : Healthy;

        return new HealthResponse(
            status,
            now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            ServiceName,
            connected ? "connected" : "disconnected",
            await telegram,
            connected ? null : "database disconnected",
            spoolHealth)
        {
            Daraja = daraja,
            Verification = verification,
        };
    }

    private async Task<SpoolHealth> CheckSpoolAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var status = await spool.GetStatusAsync(cancellationToken);
            var oldestAge = status.OldestWaitingReceivedAt is { } oldest ? Math.Max(0, (long)(now - oldest).TotalSeconds) : 0;
            return new SpoolHealth(status.Waiting, oldestAge, status.Rejected, Writable: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSpoolUnusable(logger, ex, spool.FilePath);
            return new SpoolHealth(0, 0, 0, Writable: false);
        }
    }

    private async Task<(bool Connected, string? Reason, string? Daraja, string? Verification)> CheckDatabaseAsync(DateTime deadline, CancellationToken cancellationToken)
    {
        try
        {
            var response = await transactions.CheckDatabaseAsync(new CheckDatabaseRequest(), deadline: deadline, cancellationToken: cancellationToken);
            var daraja = string.IsNullOrEmpty(response.Daraja) ? null : response.Daraja;
            var verification = string.IsNullOrEmpty(response.Verification) ? null : response.Verification;
            return (response.Connected, response.Connected ? null : $"database: {response.Detail}", daraja, verification);
        }
        catch (RpcException ex)
        {
            return (false, $"transaction-service unreachable ({ex.StatusCode})", null, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (false, $"transaction-service unreachable ({ex.GetType().Name})", null, null);
        }
    }

    private async Task<string> CheckTelegramAsync(DateTime deadline, CancellationToken cancellationToken)
    {
        try
        {
            var response = await notifications.GetBotStatusAsync(new GetBotStatusRequest(), deadline: deadline, cancellationToken: cancellationToken);
            return response.Status;
        }
        catch (RpcException ex)
        {
            LogTelegramUnknown(logger, ex.StatusCode.ToString());
            return $"error: notification-service unreachable ({ex.StatusCode})";
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogTelegramUnknown(logger, ex.GetType().Name);
            return $"error: notification-service unreachable ({ex.GetType().Name})";
        }
    }

    [LoggerMessage(EventId = 6100, Level = LogLevel.Warning, Message = "Health: database disconnected: {Reason}")]
    private static partial void LogDatabaseDisconnected(ILogger logger, string reason);

    [LoggerMessage(EventId = 6240, Level = LogLevel.Error, Message = "Health: the callback spool at {Path} cannot be used")]
    private static partial void LogSpoolUnusable(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Health: Telegram state unknown, notification service unreachable ({StatusCode})")]
    private static partial void LogTelegramUnknown(ILogger logger, string statusCode);
}
