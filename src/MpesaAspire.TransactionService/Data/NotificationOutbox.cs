using System.Data;
using Dapper;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Diagnostics;
using MpesaAspire.TransactionService.Domain;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Data;

/// <summary>
/// Delivery side of the notification outbox: lease what is due (several relays may lease at once,
/// <c>SKIP LOCKED</c> keeps them apart) and record how each attempt ended.
/// </summary>
public sealed class NotificationOutbox(
    MySqlDataSource dataSource,
    TransactionRetry retry,
    IOptions<TransactionStoreOptions> options,
    TimeProvider timeProvider,
    ILogger<NotificationOutbox> logger)
{
    // Oldest due first. The scan must walk ix_notification_outbox_due in order and stop at LIMIT: a
    // filesort would read, and lock, every due row first, so relays leasing at the same time would
    // find nothing. (Not "ORDER BY status, …": when the connection's collation differs from the
    // column's, that alone forces a filesort.)
    private const string DueSql = """
        SELECT id FROM notification_outbox FORCE INDEX (ix_notification_outbox_due)
        WHERE status = 'Pending' AND next_attempt_at <= @Now AND (lease_until IS NULL OR lease_until < @Now)
        ORDER BY next_attempt_at, id
        LIMIT @Limit
        FOR UPDATE SKIP LOCKED
        """;

    private const string LeaseSql = "UPDATE notification_outbox SET lease_until = @LeaseUntil WHERE id IN @Ids";

    private const string LockStateSql = """
        SELECT id AS Id, transaction_id AS TransactionId, kind AS Kind, chat_id AS ChatId, status AS Status, attempts AS Attempts
        FROM notification_outbox
        WHERE id = @Id
        FOR UPDATE
        """;

    private const string DeliveredSql = """
        UPDATE notification_outbox
        SET status = 'Delivered', attempts = attempts + 1, lease_until = NULL, last_error = NULL,
            telegram_message_id = @TelegramMessageId, delivered_at = @Now, chat_id = COALESCE(@MigratedToChatId, chat_id)
        WHERE id = @Id
        """;

    private const string FailedSql = """
        UPDATE notification_outbox
        SET status = 'Failed', attempts = attempts + 1, lease_until = NULL, last_error = @Detail,
            chat_id = COALESCE(@MigratedToChatId, chat_id)
        WHERE id = @Id
        """;

    private const string RetrySql = """
        UPDATE notification_outbox
        SET attempts = attempts + 1, lease_until = NULL, next_attempt_at = @NextAttemptAt, last_error = @Detail,
            chat_id = COALESCE(@MigratedToChatId, chat_id)
        WHERE id = @Id
        """;

    // A group that became a supergroup: every notification still waiting for the old chat follows it.
    private const string MoveWaitingSql = """
        UPDATE notification_outbox SET chat_id = @NewChatId
        WHERE chat_id = @OldChatId AND status = 'Pending' AND id <> @Id
        """;

    private const string ChatTakenSql = "SELECT COUNT(*) FROM users WHERE telegram_chat_id = @NewChatId";

    private const string MoveUserSql = "UPDATE users SET telegram_chat_id = @NewChatId WHERE telegram_chat_id = @OldChatId";

    private const int DetailLength = 1000;

    public Task<IReadOnlyList<OutboxNotification>> LeaseAsync(int limit, TimeSpan lease, CancellationToken cancellationToken) =>
        retry.ExecuteAsync("LeasePendingNotifications", async token =>
        {
            var now = timeProvider.GetUtcNow();
            var leaseUntil = DbTime.Utc(now + lease);
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
            var ids = (await connection.QueryAsync<long>(new CommandDefinition(
                DueSql, new { Now = DbTime.Utc(now), Limit = limit }, transaction, cancellationToken: token))).ToList();
            if (ids.Count == 0)
            {
                await transaction.CommitAsync(token);
                return (IReadOnlyList<OutboxNotification>)[];
            }

            await connection.ExecuteAsync(new CommandDefinition(
                LeaseSql, new { LeaseUntil = leaseUntil, Ids = ids }, transaction, cancellationToken: token));
            var notifications = await OutboxQueue.LoadAsync(connection, transaction, ids, token);
            await transaction.CommitAsync(token);
            TransactionServiceLog.NotificationsLeased(logger, notifications.Count, leaseUntil);
            return notifications;
        }, cancellationToken);

    /// <summary>Records one delivery attempt; only a notification still pending changes.</summary>
    public Task<CompletionResult> CompleteAsync(DeliveryReport report, CancellationToken cancellationToken) =>
        retry.ExecuteAsync("CompleteNotification", async token =>
        {
            var now = timeProvider.GetUtcNow();
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
            var state = await connection.QuerySingleOrDefaultAsync<OutboxStateRow>(new CommandDefinition(
                LockStateSql, new { Id = report.NotificationId }, transaction, cancellationToken: token));
            if (state is null)
            {
                return CompletionResult.NotFound;
            }

            if (state.Status != "Pending")
            {
                TransactionServiceLog.CompletionIgnored(logger, state.Id, state.Status);
                return CompletionResult.NotPending;
            }

            var attempts = state.Attempts + 1;
            var detail = report.Detail is { Length: > DetailLength } text ? text[..DetailLength] : report.Detail;
            var parameters = new DynamicParameters(new
            {
                state.Id,
                Detail = detail,
                report.MigratedToChatId,
                report.TelegramMessageId,
                Now = DbTime.Utc(now),
            });
            switch (report.Outcome)
            {
                case DeliveryOutcome.Delivered:
                    await connection.ExecuteAsync(new CommandDefinition(DeliveredSql, parameters, transaction, cancellationToken: token));
                    TransactionServiceLog.NotificationDelivered(logger, state.Id, state.Kind, attempts);
                    break;
                case DeliveryOutcome.FailedPermanently:
                    await connection.ExecuteAsync(new CommandDefinition(FailedSql, parameters, transaction, cancellationToken: token));
                    TransactionServiceLog.NotificationFailed(logger, state.Id, state.Kind, attempts, detail ?? "");
                    break;
                default:
                    var nextAttemptAt = DbTime.Utc(now + RetryDelay(attempts, report.RetryAfter));
                    parameters.Add("NextAttemptAt", nextAttemptAt);
                    await connection.ExecuteAsync(new CommandDefinition(RetrySql, parameters, transaction, cancellationToken: token));
                    TransactionServiceLog.NotificationRetryScheduled(logger, state.Id, state.Kind, nextAttemptAt, attempts, detail ?? "");
                    break;
            }

            if (report.MigratedToChatId is { } newChat && state.ChatId is { } oldChat && newChat != oldChat)
            {
                var move = new { state.Id, NewChatId = newChat, OldChatId = oldChat };
                await connection.ExecuteAsync(new CommandDefinition(MoveWaitingSql, move, transaction, cancellationToken: token));
                // The user's chat moves too, unless a user is already registered under the new id.
                if (state.Kind == nameof(OutboxKind.UserReceipt)
                    && await connection.ExecuteScalarAsync<long>(new CommandDefinition(ChatTakenSql, move, transaction, cancellationToken: token)) == 0)
                {
                    await connection.ExecuteAsync(new CommandDefinition(MoveUserSql, move, transaction, cancellationToken: token));
                }

                TransactionServiceLog.ChatMigrated(logger, state.Id);
            }

            await transaction.CommitAsync(token);
            return CompletionResult.Applied;
        }, cancellationToken);

    /// <summary>
    /// Exponential backoff by attempts made (base, 2×base, 4×base… capped), but never sooner than what
    /// Telegram asked for with retry_after.
    /// </summary>
    public TimeSpan RetryDelay(int attempts, TimeSpan retryAfter)
    {
        var store = options.Value;
        var exponent = Math.Min(Math.Max(attempts - 1, 0), 20);
        var backoff = TimeSpan.FromTicks(Math.Min(store.RetryBaseDelay.Ticks * (1L << exponent), store.MaxRetryDelay.Ticks));
        return retryAfter > backoff ? retryAfter : backoff;
    }
}
