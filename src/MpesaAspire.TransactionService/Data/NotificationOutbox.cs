using System.Data;
using Dapper;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Diagnostics;
using MpesaAspire.TransactionService.Domain;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Data;

/// <summary>
/// Delivery side of the notification outbox: lease what is due under a token (several deliverers may
/// lease at once, <c>SKIP LOCKED</c> keeps them apart), record that a send started, record how each
/// attempt ended (only for the token's holder), and the operator's ways back into the queue.
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

    // A send that started (Sending) and whose lease ran out without an outcome: nobody knows whether
    // Telegram took it. A receipt is set aside as Uncertain (a person would notice a second one); an
    // admin message simply goes back in the queue. The token stays, so a late "delivered" still counts.
    private const string ExpiredSendsSql = """
        SELECT id FROM notification_outbox FORCE INDEX (ix_notification_outbox_due)
        WHERE status = 'Sending' AND lease_until < @Now
        ORDER BY next_attempt_at, id
        LIMIT @Limit
        FOR UPDATE SKIP LOCKED
        """;

    private const string SettleExpiredSendsSql = """
        UPDATE notification_outbox
        SET status = CASE WHEN kind = 'UserReceipt' THEN 'Uncertain' ELSE 'Pending' END,
            lease_until = NULL, next_attempt_at = @Now,
            last_error = 'the send started but its outcome was never reported (crash, restart or lost answer)'
        WHERE id IN @Ids
        """;

    private const string LeaseSql = "UPDATE notification_outbox SET lease_until = @LeaseUntil, lease_token = @Token WHERE id IN @Ids";

    private const string LockStateSql = """
        SELECT id AS Id, transaction_id AS TransactionId, kind AS Kind, chat_id AS ChatId, status AS Status, attempts AS Attempts,
               lease_token AS LeaseToken, COALESCE(armed_at, created_at) AS ArmedAt
        FROM notification_outbox
        WHERE id = @Id
        FOR UPDATE
        """;

    // Only the holder of the current lease, and only while the lease runs.
    private const string MarkSendingSql = """
        UPDATE notification_outbox
        SET status = 'Sending', lease_until = @LeaseUntil
        WHERE id = @Id AND status = 'Pending' AND lease_token = @Token AND lease_until >= @Now
        """;

    private const string ExistsSql = "SELECT COUNT(*) FROM notification_outbox WHERE id = @Id";

    private const string DeliveredSql = """
        UPDATE notification_outbox
        SET status = @Status, attempts = attempts + 1, lease_until = NULL, last_error = NULL,
            telegram_message_id = @TelegramMessageId, delivered_at = @Now, chat_id = COALESCE(@MigratedToChatId, chat_id)
        WHERE id = @Id
        """;

    private const string SettledSql = """
        UPDATE notification_outbox
        SET status = @Status, attempts = attempts + 1, lease_until = NULL, last_error = @Detail,
            chat_id = COALESCE(@MigratedToChatId, chat_id)
        WHERE id = @Id
        """;

    private const string RetrySql = """
        UPDATE notification_outbox
        SET status = 'Pending', attempts = attempts + @Attempted, lease_until = NULL, next_attempt_at = @NextAttemptAt,
            last_error = @Detail, chat_id = COALESCE(@MigratedToChatId, chat_id)
        WHERE id = @Id
        """;

    // A group that became a supergroup: every notification still waiting for the old chat follows it.
    private const string MoveWaitingSql = """
        UPDATE notification_outbox SET chat_id = @NewChatId
        WHERE chat_id = @OldChatId AND status = 'Pending' AND id <> @Id
        """;

    private const string ChatTakenSql = "SELECT COUNT(*) FROM users WHERE telegram_chat_id = @NewChatId";

    private const string MoveUserSql = "UPDATE users SET telegram_chat_id = @NewChatId WHERE telegram_chat_id = @OldChatId";

    // Operator actions: back in the queue, due now, unleased, with a fresh retry age.
    private const string RequeueSql = """
        UPDATE notification_outbox
        SET status = 'Pending', next_attempt_at = @Now, lease_until = NULL, lease_token = NULL, armed_at = @Now, attempts = @Attempts
        WHERE id = @Id
        """;

    private const string ListSql = $"""
        {OutboxRow.SelectColumns}
        WHERE o.status = @Status
        ORDER BY o.id
        LIMIT @Limit
        """;

    private const string CountSql = "SELECT COUNT(*) FROM notification_outbox WHERE status = @Status";

    private const int DetailLength = 1000;

    // Settling expired sends happens on every lease; a bounded batch keeps each call short.
    private const int MaxSettledPerLease = 100;

    public Task<OutboxLease> LeaseAsync(int limit, TimeSpan lease, CancellationToken cancellationToken) =>
        retry.ExecuteAsync("LeasePendingNotifications", async token =>
        {
            var now = timeProvider.GetUtcNow();
            var nowUtc = DbTime.Utc(now);
            var leaseToken = Guid.NewGuid().ToString("N");
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);

            var expired = (await connection.QueryAsync<long>(new CommandDefinition(
                ExpiredSendsSql, new { Now = nowUtc, Limit = MaxSettledPerLease }, transaction, cancellationToken: token))).ToList();
            IReadOnlyList<OutboxNotification> uncertain = [];
            if (expired.Count > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    SettleExpiredSendsSql, new { Now = nowUtc, Ids = expired }, transaction, cancellationToken: token));
                uncertain = [.. (await OutboxQueue.LoadAsync(connection, transaction, expired, token)).Where(n => n.Status == OutboxStatus.Uncertain)];
                foreach (var notification in uncertain)
                {
                    TransactionServiceLog.NotificationUncertain(logger, notification.Id, notification.CheckoutRequestId);
                }
            }

            var ids = (await connection.QueryAsync<long>(new CommandDefinition(
                DueSql, new { Now = nowUtc, Limit = limit }, transaction, cancellationToken: token))).ToList();
            if (ids.Count == 0)
            {
                await transaction.CommitAsync(token);
                return new OutboxLease(leaseToken, [], uncertain);
            }

            var leaseUntil = DbTime.Utc(now + lease);
            await connection.ExecuteAsync(new CommandDefinition(
                LeaseSql, new { LeaseUntil = leaseUntil, Token = leaseToken, Ids = ids }, transaction, cancellationToken: token));
            var notifications = await OutboxQueue.LoadAsync(connection, transaction, ids, token);
            await transaction.CommitAsync(token);
            TransactionServiceLog.NotificationsLeased(logger, notifications.Count, leaseUntil);
            return new OutboxLease(leaseToken, notifications, uncertain);
        }, cancellationToken);

    /// <summary>Records that a send is about to start; false when the caller does not hold the lease (it must not send).</summary>
    public Task<CompletionResult> MarkSendingAsync(long id, string leaseToken, TimeSpan lease, CancellationToken cancellationToken) =>
        retry.ExecuteAsync("MarkNotificationSending", async token =>
        {
            var now = timeProvider.GetUtcNow();
            await using var connection = await dataSource.OpenConnectionAsync(token);
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                MarkSendingSql,
                new { Id = id, Token = leaseToken, Now = DbTime.Utc(now), LeaseUntil = DbTime.Utc(now + lease) },
                cancellationToken: token));
            if (changed == 1)
            {
                return CompletionResult.Applied;
            }

            var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ExistsSql, new { Id = id }, cancellationToken: token));
            if (exists == 0)
            {
                return CompletionResult.NotFound;
            }

            TransactionServiceLog.SendingRefused(logger, id);
            return CompletionResult.LeaseNotHeld;
        }, cancellationToken);

    /// <summary>
    /// Records one delivery attempt, for the holder of the current lease only. A pending or sending
    /// notification takes any outcome; an uncertain receipt only "delivered" (the outcome is then known).
    /// </summary>
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

            if (!string.Equals(state.LeaseToken, report.LeaseToken, StringComparison.Ordinal))
            {
                TransactionServiceLog.CompletionWithoutLease(logger, state.Id, state.Status);
                return CompletionResult.LeaseNotHeld;
            }

            var open = state.Status is nameof(OutboxStatus.Pending) or nameof(OutboxStatus.Sending)
                || (state.Status == nameof(OutboxStatus.Uncertain) && report.Outcome == DeliveryOutcome.Delivered);
            if (!open)
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
                case DeliveryOutcome.Delivered or DeliveryOutcome.DryRun:
                    var status = report.Outcome == DeliveryOutcome.Delivered ? OutboxStatus.Delivered : OutboxStatus.DryRun;
                    parameters.Add("Status", status.ToString());
                    await connection.ExecuteAsync(new CommandDefinition(DeliveredSql, parameters, transaction, cancellationToken: token));
                    TransactionServiceLog.NotificationDelivered(logger, state.Id, state.Kind, attempts);
                    break;
                case DeliveryOutcome.FailedPermanently:
                    parameters.Add("Status", nameof(OutboxStatus.Failed));
                    await connection.ExecuteAsync(new CommandDefinition(SettledSql, parameters, transaction, cancellationToken: token));
                    TransactionServiceLog.NotificationFailed(logger, state.Id, state.Kind, attempts, detail ?? "");
                    break;
                case DeliveryOutcome.Uncertain:
                    parameters.Add("Status", nameof(OutboxStatus.Uncertain));
                    await connection.ExecuteAsync(new CommandDefinition(SettledSql, parameters, transaction, cancellationToken: token));
                    TransactionServiceLog.NotificationReportedUncertain(logger, state.Id, state.Kind, detail ?? "");
                    break;
                case DeliveryOutcome.Retry when now - DateTime.SpecifyKind(state.ArmedAt, DateTimeKind.Utc) >= options.Value.NotificationMaxRetryAge:
                    parameters.Add("Status", nameof(OutboxStatus.DeadLetter));
                    await connection.ExecuteAsync(new CommandDefinition(SettledSql, parameters, transaction, cancellationToken: token));
                    TransactionServiceLog.NotificationDeadLettered(logger, state.Id, state.Kind, attempts, options.Value.NotificationMaxRetryAge, detail ?? "");
                    break;
                default:
                    // Waiting for configuration is not an attempt: it neither backs off nor ages toward a dead letter.
                    var waiting = report.Outcome == DeliveryOutcome.Waiting;
                    var delay = waiting ? report.RetryAfter : RetryDelay(attempts, report.RetryAfter);
                    var nextAttemptAt = DbTime.Utc(now + delay);
                    parameters.Add("NextAttemptAt", nextAttemptAt);
                    parameters.Add("Attempted", waiting ? 0 : 1);
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

    /// <summary>Operator: an uncertain receipt goes back in the queue (the payer may get it twice).</summary>
    public Task<(OperatorChangeResult Result, OutboxNotification? Notification)> ResendUncertainAsync(long id, CancellationToken cancellationToken) =>
        RequeueAsync("ResendUncertainNotification", id, [OutboxStatus.Uncertain], resetAttempts: false, cancellationToken);

    /// <summary>Operator: a dead letter or failed notification goes back in the queue with a fresh retry budget.</summary>
    public Task<(OperatorChangeResult Result, OutboxNotification? Notification)> RearmAsync(long id, CancellationToken cancellationToken) =>
        RequeueAsync("RearmNotification", id, [OutboxStatus.DeadLetter, OutboxStatus.Failed], resetAttempts: true, cancellationToken);

    /// <summary>The notifications in one state, oldest first, and how many there are in all.</summary>
    public async Task<(IReadOnlyList<OutboxNotification> Notifications, long Total)> ListAsync(
        OutboxStatus status, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var parameters = new { Status = status.ToString(), Limit = limit };
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(ListSql, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, parameters, cancellationToken: cancellationToken));
        return ([.. rows.Select(r => r.ToNotification())], total);
    }

    private Task<(OperatorChangeResult Result, OutboxNotification? Notification)> RequeueAsync(
        string operation, long id, OutboxStatus[] from, bool resetAttempts, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(operation, async token =>
        {
            var now = timeProvider.GetUtcNow();
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
            var state = await connection.QuerySingleOrDefaultAsync<OutboxStateRow>(new CommandDefinition(
                LockStateSql, new { Id = id }, transaction, cancellationToken: token));
            if (state is null)
            {
                return (OperatorChangeResult.NotFound, (OutboxNotification?)null);
            }

            if (!from.Any(s => s.ToString() == state.Status))
            {
                return (OperatorChangeResult.WrongStatus, (OutboxNotification?)null);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                RequeueSql,
                new { Id = id, Now = DbTime.Utc(now), Attempts = resetAttempts ? 0 : state.Attempts },
                transaction,
                cancellationToken: token));
            var notification = (await OutboxQueue.LoadAsync(connection, transaction, [id], token))[0];
            await transaction.CommitAsync(token);
            TransactionServiceLog.NotificationRequeued(logger, id, state.Kind, state.Status);
            return (OperatorChangeResult.Applied, (OutboxNotification?)notification);
        }, cancellationToken);

    /// <summary>
    /// Exponential backoff by attempts made (base, 2×base, 4×base… capped), but never sooner than what
    /// Telegram asked for with retry_after.
    /// </summary>
    public TimeSpan RetryDelay(int attempts, TimeSpan retryAfter)
    {
        var store = options.Value;
        var backoff = Backoff.Exponential(attempts, store.RetryBaseDelay, store.MaxRetryDelay);
        return retryAfter > backoff ? retryAfter : backoff;
    }
}
