using System.Data;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Diagnostics;
using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Reconciliation;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Data;

/// <summary>
/// Records STK Push result callbacks: never loses a payment, never counts one twice. Each callback is
/// one READ COMMITTED transaction that locks the transaction row, decides (apply, hold for a query,
/// duplicate or conflict), keeps the raw body in the inbox and queues the notifications the change
/// implies. Also settles what verification decides later: a held success confirmed, refuted or left
/// Unverified, and an operator's confirmation.
/// Deadlocks and insert races re-run the whole transaction; anything else fails the call.
/// </summary>
public sealed class StkCallbackRecorder(
    MySqlDataSource dataSource,
    TransactionRetry retry,
    TransactionMetrics metrics,
    TimeProvider timeProvider,
    IOptions<InboxRetentionOptions> inbox,
    IOptions<PaymentsOptions> payments,
    ReconciliationWakeUp wakeUp,
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
    // @Refute: a success was applied or held and this result contradicts it: its receipt and date go,
    // the amount goes back to the one requested.
    private const string ApplyResultSql = """
        UPDATE transactions
        SET status = @Status,
            result_code = @ResultCode,
            result_code_raw = @ResultCodeRaw,
            result_desc = @ResultDesc,
            amount = CASE WHEN @Refute THEN requested_amount ELSE COALESCE(@Amount, amount) END,
            mpesa_receipt_number = CASE WHEN @Refute THEN NULL ELSE COALESCE(@MpesaReceiptNumber, mpesa_receipt_number) END,
            phone_number = COALESCE(@PhoneNumber, phone_number),
            transaction_date = CASE WHEN @Refute THEN NULL ELSE COALESCE(@TransactionDate, transaction_date) END,
            merchant_request_id = CASE WHEN merchant_request_id = '' THEN @MerchantRequestId ELSE merchant_request_id END,
            amount_mismatch = @AmountMismatch,
            verification_reason = @VerificationReason,
            held_success = @HeldSuccess,
            held_at = CASE WHEN @HeldSuccess IS NULL THEN NULL ELSE held_at END,
            completed_at = @CompletedAt,
            updated_at = @UpdatedAt
        WHERE id = @Id
        """;

    // The payment stays pending (NeedsReview comes back to Pending: a result came after all) and is
    // due for a query at once.
    private const string HoldSuccessSql = """
        UPDATE transactions
        SET status = 'Pending',
            held_success = @HeldSuccess,
            held_at = @Now,
            next_query_at = @Now,
            merchant_request_id = CASE WHEN merchant_request_id = '' THEN @MerchantRequestId ELSE merchant_request_id END,
            updated_at = @UpdatedAt
        WHERE id = @Id
        """;

    private const string PromoteSql = """
        UPDATE transactions
        SET status = 'Success', verification_reason = @VerificationReason, held_success = NULL, held_at = NULL, updated_at = @UpdatedAt
        WHERE id = @Id
        """;

    private const string StopQueryingSql = """
        UPDATE transactions
        SET verification_reason = @VerificationReason, held_success = NULL, held_at = NULL, updated_at = @UpdatedAt
        WHERE id = @Id
        """;

    // The held body's inbox row says what became of it: Applied once confirmed, Refuted once contradicted.
    private const string InboxOutcomeSql = """
        UPDATE stk_callback_inbox SET outcome = @Outcome
        WHERE checkout_request_id = @CheckoutRequestId AND payload_sha256 = @PayloadSha256
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
    private const int ReasonLength = 255;
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
        if (recording.Outcome == CallbackOutcome.Held)
        {
            // Safaricom is answered now; the query runs in the background at once.
            wakeUp.Wake();
        }

        return recording;
    }

    /// <summary>
    /// STK Push Query could not confirm a held success: it is recorded Unverified with
    /// <paramref name="reason"/> (the admin is warned, nobody gets a receipt). With
    /// <paramref name="keepQuerying"/> the queries go on and may still promote it. Null when no payment has that id.
    /// </summary>
    public Task<CallbackRecording?> MarkUnverifiedAsync(string checkoutRequestId, string reason, bool keepQuerying, CancellationToken cancellationToken) =>
        retry.ExecuteAsync("MarkUnverified", token => MarkUnverifiedOnceAsync(checkoutRequestId, reason, keepQuerying, token), cancellationToken);

    /// <summary>
    /// An operator vouches for a success that is Unverified or still held: it becomes Success, and the
    /// admin's success message and the payer's receipt are queued (once). Anything else is refused.
    /// </summary>
    public Task<(OperatorChangeResult Result, CallbackRecording? Recording)> ConfirmAsync(string checkoutRequestId, CancellationToken cancellationToken) =>
        retry.ExecuteAsync("ConfirmPayment", token => ConfirmOnceAsync(checkoutRequestId, token), cancellationToken);

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

        var payloadSha256 = Sha256Hex(callback.RawPayload);
        var change = await ChangeAsync(new Session(connection, transaction, now, cancellationToken), row, callback, payloadSha256);

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
                Outcome = change.Outcome.ToString(),
                ReceivedAt = receivedAt,
                TraceId = Activity.Current?.TraceId.ToHexString(),
            },
            transaction,
            cancellationToken: cancellationToken));

        var notifications = await OutboxQueue.LoadAsync(connection, transaction, [.. change.Queued], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CallbackRecording(change.Outcome, change.Row.ToRecord(), notifications);
    }

    /// <summary>
    /// What one result does to its payment. A success is believed as <c>Payments:Verification</c> says
    /// (none: at once; registered: when it matches the registration; query: held until STK Push Query
    /// confirms it). A failure settles a payment whose success is not believed yet (held or
    /// Unverified): a forged success never blocks the genuine result. A final row never changes (except
    /// a query-confirmed success gaining its receipt details): the same result again is a duplicate, a
    /// different one a conflict that alerts the admin.
    /// </summary>
    private async Task<Change> ChangeAsync(Session session, TransactionRow row, StkCallback callback, string payloadSha256)
    {
        var held = HeldSuccess.Parse(row.HeldSuccess);
        var open = !row.PaymentStatus.IsTerminal();
        var unverified = row.PaymentStatus == PaymentStatus.Unverified;

        if (callback.Status != PaymentStatus.Success)
        {
            if (!open && !unverified)
            {
                return await CompareAsync(session, row, callback);
            }

            string? reason = null;
            if (held is not null || unverified)
            {
                var source = callback.FromQuery ? "STK Push Query" : "the payment's failure callback";
                reason = Truncate($"A success callback was refuted by {source} (result {callback.ResultCode}): treated as forged.", ReasonLength);
                if (held is not null)
                {
                    await SetInboxOutcomeAsync(session, row.CheckoutRequestId, held.PayloadSha256, CallbackOutcome.Refuted);
                }

                TransactionServiceLog.SuccessRefuted(logger, row.CheckoutRequestId, source, callback.ResultCode);
            }

            return await ApplyAsync(session, row, callback, callback.Status, reason, refute: reason is not null, OutboxKind.AdminFailure);
        }

        if (callback.FromQuery)
        {
            if (held is not null && (open || unverified))
            {
                await SetInboxOutcomeAsync(session, row.CheckoutRequestId, held.PayloadSha256, CallbackOutcome.Applied);
                TransactionServiceLog.SuccessConfirmed(logger, row.CheckoutRequestId, "STK Push Query");
                return unverified
                    ? await PromoteAsync(session, row, "Confirmed by STK Push Query after being unverified.")
                    : await ApplyAsync(session, row, held.Callback, PaymentStatus.Success, null, refute: false, OutboxKind.AdminSuccess);
            }

            // Confirmed by a query before any callback came: Success without receipt details.
            return open
                ? await ApplyAsync(session, row, callback, PaymentStatus.Success, null, refute: false, OutboxKind.AdminSuccess)
                : await CompareAsync(session, row, callback);
        }

        if (open && held is not null)
        {
            // A success is already waiting for its query: this one is the same again, or a rival.
            var same = held.PayloadSha256 == payloadSha256
                || (string.Equals(held.Callback.MpesaReceiptNumber, callback.MpesaReceiptNumber, StringComparison.OrdinalIgnoreCase) && held.Callback.Amount == callback.Amount);
            return same ? new Change(CallbackOutcome.Duplicate, row, []) : await ConflictAsync(session, row, callback, "a held success");
        }

        if (open)
        {
            switch (payments.Value.Mode)
            {
                case PaymentVerification.Query:
                    await session.Connection.ExecuteAsync(session.Command(HoldSuccessSql, new
                    {
                        row.Id,
                        HeldSuccess = HeldSuccess.From(callback, payloadSha256).ToJson(),
                        Now = DbTime.Utc(session.Now),
                        callback.MerchantRequestId,
                        UpdatedAt = DbTime.UtcSeconds(session.Now),
                    }));
                    TransactionServiceLog.SuccessHeld(logger, row.CheckoutRequestId);
                    return new Change(CallbackOutcome.Held, await ReloadAsync(session, row.Id), []);
                case PaymentVerification.Registered when RegisteredMismatch(row, callback) is { } reason:
                    TransactionServiceLog.SuccessUnverified(logger, row.CheckoutRequestId, reason);
                    return await ApplyAsync(session, row, callback, PaymentStatus.Unverified, reason, refute: false, OutboxKind.AdminUnverified);
                default:
                    return await ApplyAsync(session, row, callback, PaymentStatus.Success, null, refute: false, OutboxKind.AdminSuccess);
            }
        }

        // STK Push Query confirms a success without receipt number, amount or date: the callback that
        // comes later brings them. Same status, so nothing is notified again.
        if (row.PaymentStatus == PaymentStatus.Success && row.MpesaReceiptNumber is null && callback.MpesaReceiptNumber is not null)
        {
            return await ApplyAsync(session, row, callback, PaymentStatus.Success, row.VerificationReason, refute: false, adminKind: null);
        }

        return await CompareAsync(session, row, callback);
    }

    /// <summary>
    /// Why a success does not match what was registered (<c>registered</c> mode), or null when it does:
    /// a payment we know (a requested amount), the same amount, the same phone when one was registered.
    /// </summary>
    private const string NotRegisteredReason = "No pending payment was registered for this CheckoutRequestID.";

    private static string? RegisteredMismatch(TransactionRow row, StkCallback callback)
    {
        if (row.RequestedAmount is not { } requested)
        {
            return NotRegisteredReason;
        }

        if (callback.Amount != requested)
        {
            return $"Amount paid ({Amounts.Format(callback.Amount)}) differs from the amount requested ({Amounts.Format(requested)}).";
        }

        if (row.PhoneNumber is { } registered && PhoneNumbers.Normalize(registered) is { } expected
            && PhoneNumbers.Normalize(callback.PhoneNumber) != expected)
        {
            return $"Paying phone ({PhoneNumbers.Mask(callback.PhoneNumber)}) is not the registered one ({PhoneNumbers.Mask(registered)}).";
        }

        return null;
    }

    /// <summary>The same result again is a duplicate; another one (same code, and for a success the same receipt and amount) a conflict.</summary>
    private async Task<Change> CompareAsync(Session session, TransactionRow row, StkCallback callback)
    {
        var same = StatusMapping.SameCode(row.RawResultCode, callback.ResultCode)
            && (row.PaymentStatus is not (PaymentStatus.Success or PaymentStatus.Unverified)
                || callback.FromQuery
                || (string.Equals(row.MpesaReceiptNumber, callback.MpesaReceiptNumber, StringComparison.OrdinalIgnoreCase)
                    && (callback.Amount is null || row.Amount == callback.Amount)));
        return same ? new Change(CallbackOutcome.Duplicate, row, []) : await ConflictAsync(session, row, callback, null);
    }

    /// <summary>A different result for a payment already decided: not applied, kept in the inbox, and the admin is alerted (once per payment).</summary>
    private async Task<Change> ConflictAsync(Session session, TransactionRow row, StkCallback callback, string? recorded)
    {
        var source = callback.FromQuery ? "STK Push Query" : "a callback";
        var detail = Truncate(
            $"Recorded: {recorded ?? $"{row.PaymentStatus} (result {row.RawResultCode ?? "none"})"}. Then {source} said: result {callback.ResultCode}"
            + (string.IsNullOrWhiteSpace(callback.ResultDesc) ? "." : $", {callback.ResultDesc}"),
            ReasonLength);
        var queued = await QueueAsync(session, row, OutboxKind.AdminConflict, receipt: false, detail);
        if (queued.Count > 0)
        {
            TransactionServiceLog.ConflictAlertQueued(logger, row.CheckoutRequestId);
        }

        return new Change(CallbackOutcome.Conflict, row, queued);
    }

    /// <summary>Writes a result to the row and queues what it implies for the admin (and, for a Success, the payer).</summary>
    private async Task<Change> ApplyAsync(
        Session session,
        TransactionRow row,
        StkCallback callback,
        PaymentStatus status,
        string? verificationReason,
        bool refute,
        OutboxKind? adminKind,
        string? keepHeld = null)
    {
        var paidSuccess = status is PaymentStatus.Success or PaymentStatus.Unverified;
        var mismatch = paidSuccess && callback.Amount is { } paid && row.RequestedAmount is { } requested && paid != requested;
        if (mismatch)
        {
            TransactionServiceLog.AmountMismatch(logger, row.CheckoutRequestId, Amounts.Format(callback.Amount), Amounts.Format(row.RequestedAmount));
        }

        await session.Connection.ExecuteAsync(session.Command(ApplyResultSql, new
        {
            row.Id,
            Status = status.ToString(),
            ResultCode = StatusMapping.NumericCode(callback.ResultCode),
            ResultCodeRaw = callback.ResultCode,
            ResultDesc = Truncate(callback.ResultDesc, ResultDescLength),
            callback.Amount,
            callback.MpesaReceiptNumber,
            PhoneNumber = StoredPhone(callback.PhoneNumber),
            callback.TransactionDate,
            callback.MerchantRequestId,
            AmountMismatch = mismatch,
            VerificationReason = verificationReason,
            Refute = refute,
            HeldSuccess = keepHeld,
            CompletedAt = DbTime.Utc(callback.ReceivedAt ?? session.Now),
            UpdatedAt = DbTime.UtcSeconds(session.Now),
        }));

        var updated = await ReloadAsync(session, row.Id);
        IReadOnlyList<long> queued = adminKind is { } kind
            ? await QueueAsync(session, updated, kind, receipt: status == PaymentStatus.Success, kind == OutboxKind.AdminUnverified ? verificationReason : null)
            : [];
        return new Change(CallbackOutcome.Applied, updated, queued);
    }

    /// <summary>Unverified → Success: the success message and the receipt it never had.</summary>
    private async Task<Change> PromoteAsync(Session session, TransactionRow row, string reason)
    {
        await session.Connection.ExecuteAsync(session.Command(PromoteSql, new
        {
            row.Id,
            VerificationReason = reason,
            UpdatedAt = DbTime.UtcSeconds(session.Now),
        }));
        var updated = await ReloadAsync(session, row.Id);
        return new Change(CallbackOutcome.Applied, updated, await QueueAsync(session, updated, OutboxKind.AdminSuccess, receipt: true, detail: null));
    }

    private async Task<CallbackRecording?> MarkUnverifiedOnceAsync(string checkoutRequestId, string reason, bool keepQuerying, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var session = new Session(connection, transaction, timeProvider.GetUtcNow(), cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TransactionRow>(session.Command(LockRowSql, new { CheckoutRequestId = checkoutRequestId }));
        if (row is null)
        {
            return null;
        }

        reason = Truncate(reason, ReasonLength)!;
        var held = HeldSuccess.Parse(row.HeldSuccess);
        Change change;
        if (held is not null && !row.PaymentStatus.IsTerminal())
        {
            change = await ApplyAsync(
                session, row, held.Callback, PaymentStatus.Unverified, reason, refute: false, OutboxKind.AdminUnverified,
                keepQuerying ? row.HeldSuccess : null);
            TransactionServiceLog.SuccessUnverified(logger, checkoutRequestId, reason);
        }
        else if (held is not null && row.PaymentStatus == PaymentStatus.Unverified && !keepQuerying)
        {
            await connection.ExecuteAsync(session.Command(StopQueryingSql, new
            {
                row.Id,
                VerificationReason = reason,
                UpdatedAt = DbTime.UtcSeconds(session.Now),
            }));
            change = new Change(CallbackOutcome.Duplicate, await ReloadAsync(session, row.Id), []);
        }
        else
        {
            change = new Change(CallbackOutcome.Duplicate, row, []);
        }

        var notifications = await OutboxQueue.LoadAsync(connection, transaction, [.. change.Queued], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CallbackRecording(change.Outcome, change.Row.ToRecord(), notifications);
    }

    /// <summary>
    /// In <c>registered</c> mode, a success whose callback came before its registration was recorded
    /// Unverified for want of one. Once the payment is registered with the amount paid (and the paying
    /// phone, when one is given), it is paid: the success message and the receipt go out, once. Null
    /// when nothing changed (another mode, another status or reason, or the registration does not match).
    /// </summary>
    public Task<CallbackRecording?> RecheckAfterRegistrationAsync(PendingRegistration registration, CancellationToken cancellationToken) =>
        payments.Value.Mode != PaymentVerification.Registered
            ? Task.FromResult<CallbackRecording?>(null)
            : retry.ExecuteAsync("RecheckAfterRegistration", token => RecheckAfterRegistrationOnceAsync(registration, token), cancellationToken);

    private async Task<CallbackRecording?> RecheckAfterRegistrationOnceAsync(PendingRegistration registration, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var session = new Session(connection, transaction, timeProvider.GetUtcNow(), cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TransactionRow>(
            session.Command(LockRowSql, new { registration.CheckoutRequestId }));
        var matches = row is { PaymentStatus: PaymentStatus.Unverified, VerificationReason: NotRegisteredReason }
            && row.Amount == registration.Amount
            && (PhoneNumbers.Normalize(registration.PhoneNumber) is not { } expected || PhoneNumbers.Normalize(row.PhoneNumber) == expected);
        if (!matches)
        {
            return null;
        }

        var change = await PromoteAsync(session, row!, "Registered after its callback, with the amount and phone paid.");
        TransactionServiceLog.SuccessConfirmed(logger, registration.CheckoutRequestId, "its late registration");
        var notifications = await OutboxQueue.LoadAsync(connection, transaction, [.. change.Queued], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CallbackRecording(change.Outcome, change.Row.ToRecord(), notifications);
    }

    private async Task<(OperatorChangeResult, CallbackRecording?)> ConfirmOnceAsync(string checkoutRequestId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var session = new Session(connection, transaction, timeProvider.GetUtcNow(), cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TransactionRow>(session.Command(LockRowSql, new { CheckoutRequestId = checkoutRequestId }));
        if (row is null)
        {
            return (OperatorChangeResult.NotFound, null);
        }

        var held = HeldSuccess.Parse(row.HeldSuccess);
        Change change;
        if (row.PaymentStatus == PaymentStatus.Unverified)
        {
            change = await PromoteAsync(session, row, "Confirmed by an operator.");
        }
        else if (held is not null && !row.PaymentStatus.IsTerminal())
        {
            await SetInboxOutcomeAsync(session, checkoutRequestId, held.PayloadSha256, CallbackOutcome.Applied);
            change = await ApplyAsync(
                session, row, held.Callback, PaymentStatus.Success, "Confirmed by an operator before STK Push Query did.",
                refute: false, OutboxKind.AdminSuccess);
        }
        else
        {
            TransactionServiceLog.ConfirmationRefused(logger, checkoutRequestId, row.PaymentStatus.ToString());
            return (OperatorChangeResult.WrongStatus, new CallbackRecording(CallbackOutcome.Duplicate, row.ToRecord(), []));
        }

        TransactionServiceLog.SuccessConfirmed(logger, checkoutRequestId, "an operator");
        var notifications = await OutboxQueue.LoadAsync(connection, transaction, [.. change.Queued], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (OperatorChangeResult.Applied, new CallbackRecording(change.Outcome, change.Row.ToRecord(), notifications));
    }

    private static Task<int> SetInboxOutcomeAsync(Session session, string checkoutRequestId, string payloadSha256, CallbackOutcome outcome) =>
        session.Connection.ExecuteAsync(session.Command(InboxOutcomeSql, new
        {
            CheckoutRequestId = checkoutRequestId,
            PayloadSha256 = payloadSha256,
            Outcome = outcome.ToString(),
        }));

    private static Task<TransactionRow> ReloadAsync(Session session, long id) =>
        session.Connection.QuerySingleAsync<TransactionRow>(session.Command(SelectRowByIdSql, new { Id = id }));

    /// <summary>
    /// Queues one admin message of <paramref name="adminKind"/> and, with <paramref name="receipt"/>, the
    /// payer's receipt when the payer can be found. A kind already queued for the payment is not queued again.
    /// </summary>
    private async Task<IReadOnlyList<long>> QueueAsync(Session session, TransactionRow row, OutboxKind adminKind, bool receipt, string? detail)
    {
        List<(OutboxKind Kind, long? ChatId, string? Detail)> wanted = [(adminKind, null, detail)];
        if (receipt)
        {
            var payerChat = row.TelegramChatId ?? await OutboxQueue.FindPayerChatAsync(session.Connection, session.Transaction, row.PhoneNumber, session.CancellationToken);
            if (payerChat is { } chat)
            {
                wanted.Add((OutboxKind.UserReceipt, chat, null));
            }
            else
            {
                TransactionServiceLog.NoPayerForReceipt(logger, row.CheckoutRequestId, PhoneNumbers.Mask(row.PhoneNumber));
            }
        }

        var already = await OutboxQueue.QueuedKindsAsync(session.Connection, session.Transaction, row.Id, session.CancellationToken);
        var nowUtc = DbTime.Utc(session.Now);
        List<long> ids = [];
        foreach (var (kind, chatId, text) in wanted.Where(w => !already.Contains(w.Kind)))
        {
            ids.Add(await OutboxQueue.EnqueueAsync(
                session.Connection, session.Transaction, row.Id, kind, chatId, nowUtc, text, session.CancellationToken));
        }

        if (ids.Count > 0)
        {
            TransactionServiceLog.NotificationsQueued(logger, ids.Count, row.CheckoutRequestId, PhoneNumbers.Mask(row.PhoneNumber));
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
            case CallbackOutcome.Held:
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

    /// <summary>One open database transaction, with the clock reading it runs under.</summary>
    private sealed record Session(MySqlConnection Connection, MySqlTransaction Transaction, DateTimeOffset Now, CancellationToken CancellationToken)
    {
        public CommandDefinition Command(string sql, object parameters) =>
            new(sql, parameters, Transaction, cancellationToken: CancellationToken);
    }

    /// <summary>What a result did: the outcome, the row after it, the notifications it queued.</summary>
    private sealed record Change(CallbackOutcome Outcome, TransactionRow Row, IReadOnlyList<long> Queued);
}
