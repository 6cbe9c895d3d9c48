using System.Data.Common;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Core.Interceptors;
using MpesaAspire.TransactionService.Data.Migrations;
using MpesaAspire.TransactionService.Diagnostics;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Grpc;

/// <summary>
/// Around every <c>Transactions</c> call: refuses with UNAVAILABLE until the schema is migrated, and
/// turns database failures into statuses a caller can act on: UNAVAILABLE when trying again may work
/// (MySQL unreachable, deadlocks and lock timeouts that outlived the retries), INTERNAL otherwise.
/// Either way the call fails, so the gateway does not acknowledge a callback that was not recorded.
/// </summary>
public sealed class TransactionStoreInterceptor(MigrationState migrations, ILogger<TransactionStoreInterceptor> logger) : Interceptor
{
    private const string CheckDatabaseMethod = "/mpesa.transactions.v1.Transactions/CheckDatabase";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!migrations.IsCompleted && context.Method != CheckDatabaseMethod)
        {
            var reason = migrations.Failure?.Message ?? migrations.WaitingReason ?? "migrations are running";
            throw new RpcException(new Status(StatusCode.Unavailable, $"The transaction database is not ready yet: {reason}"));
        }

        try
        {
            return await continuation(request, context);
        }
        catch (Exception exception) when (exception is DbException or SocketException or TimeoutException
                                          && !context.CancellationToken.IsCancellationRequested)
        {
            TransactionServiceLog.DatabaseCallFailed(logger, context.Method, exception);
            var code = IsWorthRetrying(exception) ? StatusCode.Unavailable : StatusCode.Internal;
            // The error text stays in this service's log: it may name the database user, host or schema.
            throw new RpcException(new Status(code, $"The transaction database could not complete the request ({exception.GetType().Name})."));
        }
    }

    private static bool IsWorthRetrying(Exception exception) => exception switch
    {
        MySqlException mySql => mySql.IsTransient
            || mySql.ErrorCode is MySqlErrorCode.UnableToConnectToHost
                or MySqlErrorCode.LockDeadlock
                or MySqlErrorCode.LockWaitTimeout
                or MySqlErrorCode.DuplicateKeyEntry,
        DbException db => db.IsTransient,
        _ => true,
    };
}
