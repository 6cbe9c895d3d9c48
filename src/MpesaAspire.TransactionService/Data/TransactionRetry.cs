using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Diagnostics;
using MySqlConnector;
using Polly;
using Polly.Retry;

namespace MpesaAspire.TransactionService.Data;

/// <summary>
/// Runs a whole database transaction again when MySQL aborted it for a reason that a retry cures:
/// a deadlock (1213), a lock wait timeout (1205) or a duplicate-key race between two inserts (1062).
/// Bounded, with jittered exponential backoff; the last error is rethrown, never swallowed.
/// </summary>
public sealed class TransactionRetry
{
    private static readonly ResiliencePropertyKey<string> Operation = new("mpesa.operation");

    private readonly ResiliencePipeline _pipeline;

    public TransactionRetry(IOptions<TransactionStoreOptions> options, ILogger<TransactionRetry> logger)
    {
        var maxAttempts = options.Value.MaxTransactionAttempts;
        // The pause is real time on purpose: it lets the other transaction release its locks, whatever
        // clock the payment rules read (tests fake that one, and a fake clock would never let it end).
        _pipeline = maxAttempts <= 1 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder { TimeProvider = TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<MySqlException>(IsRetryable),
                MaxRetryAttempts = maxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(10),
                MaxDelay = TimeSpan.FromMilliseconds(500),
                OnRetry = args =>
                {
                    var error = (MySqlException)args.Outcome.Exception!;
                    var operation = args.Context.Properties.GetValue(Operation, "transaction");
                    TransactionServiceLog.TransientRetry(logger, operation, (int)error.ErrorCode, args.AttemptNumber + 1, maxAttempts);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> transaction, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        context.Properties.Set(Operation, operation);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (context, transaction) => await transaction(context.CancellationToken), context, transaction);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public static bool IsRetryable(MySqlException exception) => exception.ErrorCode is
        MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout or MySqlErrorCode.DuplicateKeyEntry;
}
