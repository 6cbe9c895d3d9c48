using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Diagnostics;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Data;

/// <summary>
/// Runs a whole database transaction again when MySQL aborted it for a reason that a retry cures:
/// a deadlock (1213), a lock wait timeout (1205) or a duplicate-key race between two inserts (1062).
/// Bounded, with jittered exponential backoff; the last error is rethrown, never swallowed.
/// </summary>
public sealed class TransactionRetry(IOptions<TransactionStoreOptions> options, ILogger<TransactionRetry> logger)
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(500);

    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> transaction, CancellationToken cancellationToken)
    {
        var maxAttempts = options.Value.MaxTransactionAttempts;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction(cancellationToken);
            }
            catch (MySqlException exception) when (IsRetryable(exception) && attempt < maxAttempts)
            {
                TransactionServiceLog.TransientRetry(logger, operation, (int)exception.ErrorCode, attempt, maxAttempts);
                await Task.Delay(Backoff(attempt), cancellationToken);
            }
        }
    }

    public static bool IsRetryable(MySqlException exception) => exception.ErrorCode is
        MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout or MySqlErrorCode.DuplicateKeyEntry;

    /// <summary>Half fixed, half random ("equal jitter"), doubling per attempt up to half a second.</summary>
    private static TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1), MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }
}
