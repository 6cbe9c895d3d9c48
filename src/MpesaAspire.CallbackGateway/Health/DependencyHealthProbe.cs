using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Apis;
using MpesaAspire.Notifications.V1;
using MpesaAspire.Transactions.V1;
using NotificationsClient = MpesaAspire.Notifications.V1.Notifications.NotificationsClient;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.CallbackGateway.Health;

/// <summary>
/// Answers the product's health question: does the database answer (through the transaction
/// service), and what is the Telegram bot's state (through the notification service). Both are
/// asked in parallel under one short deadline.
/// </summary>
public sealed partial class DependencyHealthProbe(
    TransactionsClient transactions,
    NotificationsClient notifications,
    TimeProvider timeProvider,
    IOptions<HealthOptions> options,
    ILogger<DependencyHealthProbe> logger)
{
    public const string ServiceName = "mpesa-callback-server";

    public async Task<HealthResponse> CheckAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var deadline = now.UtcDateTime + options.Value.CheckDeadline;

        var database = CheckDatabaseAsync(deadline, cancellationToken);
        var telegram = CheckTelegramAsync(deadline, cancellationToken);
        await Task.WhenAll(database, telegram);

        var (connected, reason, daraja) = await database;
        if (!connected)
        {
            LogDatabaseDisconnected(logger, reason!);
        }

        return new HealthResponse(
            connected ? "healthy" : "unhealthy",
            now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            ServiceName,
            connected ? "connected" : "disconnected",
            await telegram,
            reason)
        {
            Daraja = daraja,
        };
    }

    private async Task<(bool Connected, string? Reason, string? Daraja)> CheckDatabaseAsync(DateTime deadline, CancellationToken cancellationToken)
    {
        try
        {
            var response = await transactions.CheckDatabaseAsync(new CheckDatabaseRequest(), deadline: deadline, cancellationToken: cancellationToken);
            var daraja = string.IsNullOrEmpty(response.Daraja) ? null : response.Daraja;
            return response.Connected ? (true, null, daraja) : (false, $"database: {response.Detail}", daraja);
        }
        catch (RpcException ex)
        {
            return (false, $"transaction-service unreachable ({ex.StatusCode})", null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (false, $"transaction-service unreachable ({ex.GetType().Name})", null);
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

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Health: database disconnected: {Reason}")]
    private static partial void LogDatabaseDisconnected(ILogger logger, string reason);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Health: Telegram state unknown, notification service unreachable ({StatusCode})")]
    private static partial void LogTelegramUnknown(ILogger logger, string statusCode);
}
