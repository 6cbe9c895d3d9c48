using System.Data;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Diagnostics;
using MpesaAspire.TransactionService.Domain;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Data;

/// <summary>
/// Records STK Push result callbacks: never loses a payment, never counts one twice. Each callback is
/// one READ COMMITTED transaction that locks the transaction row, decides (apply, duplicate or
/// conflict), keeps the raw body in the inbox and queues the notifications the change implies.
/// Deadlocks and insert races re-run the whole transaction; anything else fails the call.
/// </summary>
public sealed class StkCallbackRecorder(
    MySqlDataSource dataSource,
    TransactionRetry retry,
    TransactionMetrics metrics,
    TimeProvider timeProvider,
    IOptions<InboxRetentionOptions> inbox,
    ILogger<StkCallbackRecorder> logger)
{
    // Creates the row when the callback came before (or without) a registration; locks it otherwise.
    private const string EnsureRowSql = """
        INSERT INTO transactions (checkout_request_id, merchant_request_id, status, created_at, updated_at)
        VALUES (@CheckoutRequestId, @MerchantRequestId, 'Pending', @CreatedAt, @CreatedAt)
        ON DUPLICATE KEY UPDATE id = id
        """;

    private const string LockRowSql = $"""
        {TransactionRow.SelectColumns}
        WHERE checkout_request_id = @CheckoutRequestId
        FOR UPDATE
        """;

    private const string SelectRowByIdSql = $"""
        {TransactionRow.SelectColumns}
        WHERE id = @Id
        """;

    // updated_at is set explicitly (UTC from the injected clock) rather than left to ON UPDATE.
    private const string ApplyResultSql = """
        UPDATE transactions
        SET status = @Status,
            result_code = @ResultCode,
            result_code_raw = @ResultCodeRaw,
            result_desc = @ResultDesc,
            amount = COALESCE(@Amount, amount),
            mpesa_receipt_number = COALESCE(@MpesaReceiptNumber, mpesa_receipt_number),
            phone_number = COALESCE(@PhoneNumber, phone_number),
            transaction_date = COALESCE(@TransactionDate, transaction_date),
            merchant_request_id = CASE WHEN merchant_request_id = '' THEN @MerchantRequestId ELSE merchant_request_id END,
            completed_at = @CompletedAt,
            updated_at = @UpdatedAt
        WHERE id = @Id
        """;

    // A repeat of the identical body only counts a delivery; its first outcome stays.
    private const string UpsertInboxSql = """
        INSERT INTO stk_callback_inbox
            (checkout_request_id, payload_sha256, raw_payload, result_code_raw, outcome, delivery_count, first_received_at, last_received_at, trace_id)
        VALUES (@CheckoutRequestId, @PayloadSha256, @RawPayload, @ResultCodeRaw, @Outcome, 1, @ReceivedAt, @ReceivedAt, @TraceId)
        ON DUPLICATE KEY UPDATE
            delivery_count = delivery_count + 1,
            first_received_at = LEAST(first_received_at, @ReceivedAt),
            last_received_at = GREATEST(last_received_at, @ReceivedAt)
        """;

    // How many distinct bodies this payment keeps, and whether this body is one of them. The
    // transaction row is locked, so callbacks for one id are counted one at a time.
    private const string InboxBodiesSql = """
        SELECT COUNT(*) AS Bodies, COALESCE(SUM(payload_sha256 = @PayloadSha256), 0) AS Same
        FROM stk_callback_inbox
        WHERE checkout_request_id = @CheckoutRequestId
        """;

    // Past the cap a new body is only counted, on the payment's newest inbox row.
    private const string CountOverflowSql = """
        UPDATE stk_callback_inbox
        SET overflow_count = overflow_count + 1,
            last_received_at = GREATEST(last_received_at, @ReceivedAt)
        WHERE checkout_request_id = @CheckoutRequestId
        ORDER BY id DESC
        LIMIT 1
        """;

    private const int ResultDescLength = 255;
    private const int PhoneNumberLength = 15;

    public async Task<CallbackRecording> RecordAsync(StkCallback callback, CancellationToken cancellationToken)
    {
        using var activity = TransactionMetrics.ActivitySource.StartActivity("record stk callback");
        activity?.SetTag("mpesa.checkout_request_id", callback.CheckoutRequestId);
        activity?.SetTag("mpesa.result_code", callback.ResultCode);

        var status = callback.Status;
        TransactionServiceLog.ProcessingTransaction(logger, callback.CheckoutRequestId, callback.ResultCode, status.ToString());
        if (callback.TransactionDate is null && !string.IsNullOrWhiteSpace(callback.TransactionDateText))
        {
            TransactionServiceLog.UnreadableTransactionDate(logger, callback.CheckoutRequestId, callback.TransactionDateText);
        }

        var started = timeProvider.GetTimestamp();
        CallbackRecording recording;
        try
        {
            recording = await retry.ExecuteAsync(
                "RecordStkCallback", token => RecordOnceAsync(callback, token), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            metrics.CallbackFailed(exception.GetType().Name, timeProvider.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }

        metrics.CallbackRecorded(recording.Outcome, recording.Transaction.Status, timeProvider.GetElapsedTime(started));
        activity?.SetTag("mpesa.outcome", recording.Outcome.ToString());
        LogOutcome(callback, recording);
        return recording;
    }

    private async Task<CallbackRecording> RecordOnceAsync(StkCallback callback, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var receivedAt = DbTime.Utc(callback.ReceivedAt ?? now);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

        await connection.ExecuteAsync(new CommandDefinition(
            EnsureRowSql,
            new { callback.CheckoutRequestId, callback.MerchantRequestId, CreatedAt = DbTime.UtcSeconds(now) },
            transaction,
            cancellationToken: cancellationToken));
        var row = await connection.QuerySingleAsync<TransactionRow>(new CommandDefinition(
            LockRowSql, new { callback.CheckoutRequestId }, transaction, cancellationToken: cancellationToken));

        var outcome = Decide(row, callback);
        IReadOnlyList<long> queued = [];
        if (outcome == CallbackOutcome.Applied)
        {
            await ApplyAsync(connection, transaction, row, callback, now, receivedAt, cancellationToken);
            // A success first confirmed by a query was already notified: its callback only fills in details.
            if (!row.PaymentStatus.IsTerminal())
            {
                queued = await QueueNotificationsAsync(connection, transaction, row, callback, now, cancellationToken);
            }

            row = await connection.QuerySingleAsync<TransactionRow>(new CommandDefinition(
                SelectRowByIdSql, new { row.Id }, transaction, cancellationToken: cancellationToken));
        }

        var payloadSha256 = Sha256Hex(callback.RawPayload);
        var bodies = await connection.QuerySingleAsync<(long Bodies, long Same)>(new CommandDefinition(
            InboxBodiesSql, new { callback.CheckoutRequestId, PayloadSha256 = payloadSha256 }, transaction, cancellationToken: cancellationToken));
        var inboxSql = bodies.Same == 0 && bodies.Bodies >= inbox.Value.MaxBodiesPerCheckout ? CountOverflowSql : UpsertInboxSql;
        await connection.ExecuteAsync(new CommandDefinition(
            inboxSql,
            new
            {
                callback.CheckoutRequestId,
                PayloadSha256 = payloadSha256,
                callback.RawPayload,
                ResultCodeRaw = callback.ResultCode,
                Outcome = outcome.ToString(),
                ReceivedAt = receivedAt,
                TraceId = Activity.Current?.TraceId.ToHexString(),
            },
            transaction,
            cancellationToken: cancellationToken));

        var notifications = await OutboxQueue.LoadAsync(connection, transaction, [.. queued], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CallbackRecording(outcome, row.ToRecord(), notifications);
    }

    /// <summary>
    /// A pending row takes the result. A final row never changes (except a query-confirmed success
    /// gaining its receipt details): the same result again is a
    /// duplicate, a different one a conflict (same code, and for a success the same receipt and amount).
    /// </summary>
    private static CallbackOutcome Decide(TransactionRow row, StkCallback callback)
    {
        if (!row.PaymentStatus.IsTerminal())
        {
            return CallbackOutcome.Applied;
        }

        // STK Push Query confirms a success without receipt number, amount or date: the callback that
        // comes later brings them. Same status, so nothing is notified again.
        if (row.PaymentStatus == PaymentStatus.Success && row.MpesaReceiptNumber is null
            && callback.Status == PaymentStatus.Success && callback.MpesaReceiptNumber is not null)
        {
            return CallbackOutcome.Applied;
        }

        var same = StatusMapping.SameCode(row.RawResultCode, callback.ResultCode)
            && (row.PaymentStatus != PaymentStatus.Success
                || (string.Equals(row.MpesaReceiptNumber, callback.MpesaReceiptNumber, StringComparison.OrdinalIgnoreCase)
                    && (callback.Amount is null || row.Amount == callback.Amount)));
        return same ? CallbackOutcome.Duplicate : CallbackOutcome.Conflict;
    }

    private static async Task ApplyAsync(
        MySqlConnection connection,
        MySqlTransaction transaction,
        TransactionRow row,
        StkCallback callback,
        DateTimeOffset now,
        DateTime receivedAt,
        CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            ApplyResultSql,
            new
            {
                row.Id,
                Status = callback.Status.ToString(),
                ResultCode = StatusMapping.NumericCode(callback.ResultCode),
                ResultCodeRaw = callback.ResultCode,
                ResultDesc = Truncate(callback.ResultDesc, ResultDescLength),
                callback.Amount,
                callback.MpesaReceiptNumber,
                PhoneNumber = StoredPhone(callback.PhoneNumber),
                callback.TransactionDate,
                callback.MerchantRequestId,
                CompletedAt = receivedAt,
                UpdatedAt = DbTime.UtcSeconds(now),
            },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>One admin notification per payment; on success a receipt when the payer can be found.</summary>
    private async Task<IReadOnlyList<long>> QueueNotificationsAsync(
        MySqlConnection connection,
        MySqlTransaction transaction,
        TransactionRow row,
        StkCallback callback,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var status = callback.Status;
        var phone = StoredPhone(callback.PhoneNumber) ?? row.PhoneNumber;
        List<(OutboxKind Kind, long? ChatId)> wanted =
            [(status == PaymentStatus.Success ? OutboxKind.AdminSuccess : OutboxKind.AdminFailure, null)];
        if (status == PaymentStatus.Success)
        {
            if (callback.Amount is { } paid && row.RequestedAmount is { } requested && paid != requested)
            {
                TransactionServiceLog.AmountMismatch(logger, callback.CheckoutRequestId, Amounts.Format(paid), Amounts.Format(requested));
            }

            var payerChat = row.TelegramChatId ?? await OutboxQueue.FindPayerChatAsync(connection, transaction, phone, cancellationToken);
            if (payerChat is { } chat)
            {
                wanted.Add((OutboxKind.UserReceipt, chat));
            }
            else
            {
                TransactionServiceLog.NoPayerForReceipt(logger, callback.CheckoutRequestId, PhoneNumbers.Mask(phone));
            }
        }

        var already = await OutboxQueue.QueuedKindsAsync(connection, transaction, row.Id, cancellationToken);
        var nowUtc = DbTime.Utc(now);
        List<long> ids = [];
        foreach (var (kind, chatId) in wanted.Where(w => !already.Contains(w.Kind)))
        {
            ids.Add(await OutboxQueue.EnqueueAsync(connection, transaction, row.Id, kind, chatId, nowUtc, cancellationToken));
        }

        if (ids.Count > 0)
        {
            TransactionServiceLog.NotificationsQueued(logger, ids.Count, callback.CheckoutRequestId, PhoneNumbers.Mask(phone));
        }

        return ids;
    }

    private void LogOutcome(StkCallback callback, CallbackRecording recording)
    {
        switch (recording.Outcome)
        {
            case CallbackOutcome.Applied:
                TransactionServiceLog.TransactionUpdated(logger, callback.CheckoutRequestId);
                break;
            case CallbackOutcome.Duplicate:
                TransactionServiceLog.DuplicateCallback(logger, callback.CheckoutRequestId);
                break;
            case CallbackOutcome.Conflict:
                TransactionServiceLog.ConflictingCallback(
                    logger,
                    callback.CheckoutRequestId,
                    recording.Transaction.Status.ToString(),
                    recording.Transaction.ResultCode ?? "",
                    callback.ResultCode);
                break;
        }
    }

    /// <summary>The canonical 2547… form when it is a Kenyan mobile number, else as sent when it fits the column.</summary>
    private static string? StoredPhone(string? phone) =>
        PhoneNumbers.Normalize(phone) ?? (phone?.Trim() is { Length: > 0 and <= PhoneNumberLength } raw ? raw : null);

    private static string? Truncate(string? value, int length) =>
        value is { Length: var l } && l > length ? value[..length] : value;

    private static string Sha256Hex(string payload) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)));
}
