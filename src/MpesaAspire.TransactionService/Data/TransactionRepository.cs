using System.Data;
using System.Text;
using Dapper;
using MpesaAspire.TransactionService.Diagnostics;
using MpesaAspire.TransactionService.Domain;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Data;

/// <summary>Registration of pending STK Pushes and the transaction history.</summary>
public sealed class TransactionRepository(
    MySqlDataSource dataSource,
    TransactionRetry retry,
    TimeProvider timeProvider,
    ILogger<TransactionRepository> logger)
{
    private const string LockByCheckoutIdSql = $"""
        {TransactionRow.SelectColumns}
        WHERE checkout_request_id = @CheckoutRequestId
        FOR UPDATE
        """;

    private const string SelectByCheckoutIdSql = $"""
        {TransactionRow.SelectColumns}
        WHERE checkout_request_id = @CheckoutRequestId
        """;

    private const string SelectByIdSql = $"""
        {TransactionRow.SelectColumns}
        WHERE id = @Id
        """;

    private const string InsertPendingSql = """
        INSERT INTO transactions
            (checkout_request_id, merchant_request_id, phone_number, amount, requested_amount,
             account_reference, telegram_chat_id, status, created_at, updated_at)
        VALUES
            (@CheckoutRequestId, @MerchantRequestId, @PhoneNumber, @Amount, @Amount,
             @AccountReference, @TelegramChatId, 'Pending', @CreatedAt, @CreatedAt);
        SELECT LAST_INSERT_ID();
        """;

    // Only the gaps: whatever a callback (or an earlier registration) already wrote is kept.
    private const string FillGapsSql = """
        UPDATE transactions
        SET merchant_request_id = CASE WHEN merchant_request_id = '' THEN @MerchantRequestId ELSE merchant_request_id END,
            phone_number = COALESCE(phone_number, @PhoneNumber),
            requested_amount = COALESCE(requested_amount, @Amount),
            amount = COALESCE(amount, @Amount),
            account_reference = COALESCE(account_reference, @AccountReference),
            telegram_chat_id = COALESCE(telegram_chat_id, @TelegramChatId),
            updated_at = @UpdatedAt
        WHERE id = @Id
        """;

    public Task<PendingRegistrationResult> RegisterPendingAsync(PendingRegistration registration, CancellationToken cancellationToken) =>
        retry.ExecuteAsync("RegisterPendingTransaction", token => RegisterPendingOnceAsync(registration, token), cancellationToken);

    public async Task<TransactionRecord?> GetAsync(string checkoutRequestId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TransactionRow>(new CommandDefinition(
            SelectByCheckoutIdSql, new { CheckoutRequestId = checkoutRequestId }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>Newest first (created_at, then id), keyset-paged so a page never skips or repeats rows.</summary>
    public async Task<TransactionPage> ListAsync(TransactionQuery query, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder(TransactionRow.SelectColumns).AppendLine().Append("WHERE 1 = 1");
        var parameters = new DynamicParameters();
        if (query.PhoneNumber is { } phone)
        {
            // Rows may hold any spelling of the number (the original server stored what it was given).
            sql.Append(" AND phone_number IN @Phones");
            parameters.Add("Phones", PhoneNumbers.Normalize(phone) is { } canonical ? PhoneNumbers.Spellings(canonical) : [phone]);
        }

        if (query.Status is { } status)
        {
            sql.Append(status == PaymentStatus.Pending ? " AND (status = @Status OR status IS NULL)" : " AND status = @Status");
            parameters.Add("Status", status.ToString());
        }

        if (query.CreatedFrom is { } from)
        {
            sql.Append(" AND created_at >= @CreatedFrom");
            parameters.Add("CreatedFrom", from);
        }

        if (query.CreatedTo is { } to)
        {
            sql.Append(" AND created_at < @CreatedTo");
            parameters.Add("CreatedTo", to);
        }

        if (query.After is { } after)
        {
            sql.Append(" AND (created_at < @AfterCreatedAt OR (created_at = @AfterCreatedAt AND id < @AfterId))");
            parameters.Add("AfterCreatedAt", after.CreatedAt);
            parameters.Add("AfterId", after.Id);
        }

        sql.AppendLine().Append("ORDER BY created_at DESC, id DESC LIMIT @Limit");
        parameters.Add("Limit", query.PageSize + 1);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<TransactionRow>(new CommandDefinition(
            sql.ToString(), parameters, cancellationToken: cancellationToken))).ToList();

        var page = rows.Take(query.PageSize).Select(r => r.ToRecord()).ToList();
        var next = rows.Count > query.PageSize && page[^1] is { CreatedAt: { } lastCreated } last
            ? new TransactionCursor(lastCreated, last.Id)
            : null;
        return new TransactionPage(page, next);
    }

    private async Task<PendingRegistrationResult> RegisterPendingOnceAsync(PendingRegistration registration, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

        var existing = await connection.QuerySingleOrDefaultAsync<TransactionRow>(new CommandDefinition(
            LockByCheckoutIdSql, new { registration.CheckoutRequestId }, transaction, cancellationToken: cancellationToken));
        long id;
        if (existing is null)
        {
            // A callback inserting the same id meanwhile makes this fail with 1062: the retry then finds its row.
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                InsertPendingSql,
                new
                {
                    registration.CheckoutRequestId,
                    registration.MerchantRequestId,
                    registration.PhoneNumber,
                    registration.Amount,
                    registration.AccountReference,
                    registration.TelegramChatId,
                    CreatedAt = DbTime.UtcSeconds(now),
                },
                transaction,
                cancellationToken: cancellationToken));
        }
        else
        {
            id = existing.Id;
            await FillGapsAsync(connection, transaction, existing, registration, now, cancellationToken);
        }

        var row = await connection.QuerySingleAsync<TransactionRow>(new CommandDefinition(
            SelectByIdSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);

        if (existing is null)
        {
            TransactionServiceLog.PendingRegistered(logger, registration.CheckoutRequestId, PhoneNumbers.Mask(registration.PhoneNumber));
        }
        else
        {
            TransactionServiceLog.RegistrationOfExistingTransaction(logger, registration.CheckoutRequestId, row.PaymentStatus.ToString());
        }

        return new PendingRegistrationResult(row.ToRecord(), Created: existing is null);
    }

    private async Task FillGapsAsync(
        MySqlConnection connection,
        MySqlTransaction transaction,
        TransactionRow existing,
        PendingRegistration registration,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var hasGaps = (existing.MerchantRequestId.Length == 0 && registration.MerchantRequestId.Length > 0)
            || existing.PhoneNumber is null
            || existing.RequestedAmount is null
            || existing.Amount is null
            || (existing.AccountReference is null && registration.AccountReference is not null)
            || (existing.TelegramChatId is null && registration.TelegramChatId is not null);
        if (hasGaps)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                FillGapsSql,
                new
                {
                    existing.Id,
                    registration.MerchantRequestId,
                    registration.PhoneNumber,
                    registration.Amount,
                    registration.AccountReference,
                    registration.TelegramChatId,
                    UpdatedAt = DbTime.UtcSeconds(now),
                },
                transaction,
                cancellationToken: cancellationToken));
        }

        // Paid before it was registered: nobody could be told then. The chat registered now gets the
        // receipt, unless one was already queued (found by the paying phone when the callback came).
        if (existing.PaymentStatus == PaymentStatus.Success
            && registration.TelegramChatId is not null
            && (existing.TelegramChatId ?? registration.TelegramChatId) is { } chat
            && !(await OutboxQueue.QueuedKindsAsync(connection, transaction, existing.Id, cancellationToken)).Contains(OutboxKind.UserReceipt))
        {
            await OutboxQueue.EnqueueAsync(
                connection, transaction, existing.Id, OutboxKind.UserReceipt, chat, DbTime.Utc(now), null, cancellationToken);
            TransactionServiceLog.LateReceiptQueued(logger, registration.CheckoutRequestId);
        }
    }
}
