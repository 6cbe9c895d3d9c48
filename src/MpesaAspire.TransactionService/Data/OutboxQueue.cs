using System.Diagnostics;
using Dapper;
using MpesaAspire.TransactionService.Domain;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Data;

/// <summary>
/// Writes to the notification outbox from inside the database transaction that implies the
/// notification. Callers hold the lock on the transaction row, which serialises every writer of that
/// transaction's notifications; UNIQUE(transaction_id, kind) still guards against queuing twice.
/// </summary>
public static class OutboxQueue
{
    private const string QueuedKindsSql = "SELECT kind FROM notification_outbox WHERE transaction_id = @TransactionId";

    private const string EnqueueSql = """
        INSERT INTO notification_outbox (transaction_id, kind, chat_id, status, attempts, next_attempt_at, created_at, armed_at, trace_parent, detail)
        VALUES (@TransactionId, @Kind, @ChatId, 'Pending', 0, @Now, @Now, @Now, @TraceParent, @Detail);
        SELECT LAST_INSERT_ID();
        """;

    private const string LoadSql = $"""
        {OutboxRow.SelectColumns}
        WHERE o.id IN @Ids
        ORDER BY o.id
        """;

    // Seed rows may hold NULL in is_active (the column only has a default): that is an active user.
    private const string PayerChatSql = """
        SELECT telegram_chat_id FROM users
        WHERE phone_number IN @Phones AND (is_active IS NULL OR is_active <> 0)
        ORDER BY id DESC
        LIMIT 1
        """;

    public static async Task<IReadOnlySet<OutboxKind>> QueuedKindsAsync(
        MySqlConnection connection, MySqlTransaction transaction, long transactionId, CancellationToken cancellationToken)
    {
        var kinds = await connection.QueryAsync<string>(new CommandDefinition(
            QueuedKindsSql, new { TransactionId = transactionId }, transaction, cancellationToken: cancellationToken));
        return kinds.Select(Enum.Parse<OutboxKind>).ToHashSet();
    }

    /// <summary>
    /// Queues one notification, due now and not leased: the notification service leases it.
    /// <paramref name="detail"/> is the line a warning shows besides the payment (null for the others).
    /// </summary>
    public static Task<long> EnqueueAsync(
        MySqlConnection connection,
        MySqlTransaction transaction,
        long transactionId,
        OutboxKind kind,
        long? chatId,
        DateTime now,
        string? detail,
        CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            EnqueueSql,
            new { TransactionId = transactionId, Kind = kind.ToString(), ChatId = chatId, Now = now, TraceParent = CurrentTraceParent(), Detail = detail },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>The current W3C trace context, when there is one, so the delivery can join the trace.</summary>
    private static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { Length: <= 55 } id } ? id : null;

    public static async Task<IReadOnlyList<OutboxNotification>> LoadAsync(
        MySqlConnection connection, MySqlTransaction? transaction, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            LoadSql, new { Ids = ids }, transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToNotification())];
    }

    /// <summary>
    /// The chat of the active user whose phone matches <paramref name="phone"/> in any spelling
    /// (2547…, +2547…, 07…); the most recently registered one when several do.
    /// </summary>
    public static async Task<long?> FindPayerChatAsync(
        MySqlConnection connection, MySqlTransaction transaction, string? phone, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        IReadOnlyList<string> spellings = PhoneNumbers.Normalize(phone) is { } canonical ? PhoneNumbers.Spellings(canonical) : [phone.Trim()];
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            PayerChatSql, new { Phones = spellings }, transaction, cancellationToken: cancellationToken));
    }
}
