using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Data;

[Collection(MariaDbCollection.Name)]
public sealed class CallbackRecordingTests(MariaDbFixture fixture) : IAsyncLifetime
{
    // 09:00 UTC is 12:00 in Kenya.
    private static readonly DateTimeOffset ReceivedAt = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await fixture.StoreForClassAsync(GetType());

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ASuccessfulPaymentCompletesItsPendingTransactionAndQueuesTheAdminNoticeAndTheReceipt()
    {
        var id = Callbacks.NewCheckoutId();
        await RegisterAsync(id, chat: 7001);

        var recording = await _store.Recorder.RecordAsync(Callbacks.Success(id, receivedAt: ReceivedAt), CancellationToken.None);

        Assert.Equal(CallbackOutcome.Applied, recording.Outcome);
        var transaction = recording.Transaction;
        Assert.Equal(PaymentStatus.Success, transaction.Status);
        Assert.Equal("0", transaction.ResultCode);
        Assert.Equal("The service request is processed successfully.", transaction.ResultDesc);
        Assert.Equal(1000m, transaction.Amount);
        Assert.Equal("NLJ7RT61SV", transaction.MpesaReceiptNumber);
        Assert.Equal("254708374149", transaction.PhoneNumber);
        Assert.Equal(new DateTime(2019, 12, 19, 10, 21, 15), transaction.TransactionDate);
        Assert.Equal(ReceivedAt.UtcDateTime, transaction.CompletedAt);

        Assert.Collection(
            recording.QueuedNotifications.OrderBy(n => n.Kind),
            admin =>
            {
                Assert.Equal(OutboxKind.AdminSuccess, admin.Kind);
                Assert.Null(admin.ChatId);
                Assert.Equal(1000m, admin.Amount);
                Assert.Equal("254708374149", admin.PhoneNumber);
                Assert.Equal("NLJ7RT61SV", admin.MpesaReceiptNumber);
                Assert.Equal("2019-12-19 10:21:15", admin.Date);
                Assert.Equal(id, admin.CheckoutRequestId);
            },
            receipt =>
            {
                Assert.Equal(OutboxKind.UserReceipt, receipt.Kind);
                Assert.Equal(7001, receipt.ChatId);
            });

        var stored = await _store.QueryAsync<(string, int?, string)>(
            "SELECT status, result_code, result_code_raw FROM transactions WHERE checkout_request_id = @id", new { id });
        Assert.Equal([("Success", 0, "0")], stored);
    }

    [Fact]
    public async Task QueuedNotificationsAreDueAtOnceForTheNotificationServiceAndLeasedToNobodyElse()
    {
        await using var store = await fixture.CreateStoreAsync();
        var id = Callbacks.NewCheckoutId();
        var recording = await store.Recorder.RecordAsync(Callbacks.Success(id), CancellationToken.None);
        Assert.NotEmpty(recording.QueuedNotifications);

        var leased = await store.Outbox.LeaseAsync(100, TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.Equal(recording.QueuedNotifications.Select(n => n.Id).Order(), leased.Notifications.Select(n => n.Id).Order());
    }

    [Theory]
    [InlineData("1032", "Request cancelled by user", PaymentStatus.Cancelled)]
    [InlineData("1", "The balance is insufficient for the transaction.", PaymentStatus.Failed)]
    [InlineData("1037", "DS timeout user cannot be reached", PaymentStatus.Failed)]
    [InlineData("SFC_IC0003", "Operator does not exist", PaymentStatus.Failed)]
    public async Task AnUnsuccessfulPaymentKeepsItsRawCodeAndTellsTheAdminWhy(string code, string desc, PaymentStatus status)
    {
        var id = Callbacks.NewCheckoutId();
        await RegisterAsync(id, chat: 7003);

        var recording = await _store.Recorder.RecordAsync(Callbacks.Failure(id, code, desc, ReceivedAt), CancellationToken.None);

        Assert.Equal(CallbackOutcome.Applied, recording.Outcome);
        Assert.Equal(status, recording.Transaction.Status);
        Assert.Equal(code, recording.Transaction.ResultCode);
        Assert.Equal(desc, recording.Transaction.ResultDesc);
        var notification = Assert.Single(recording.QueuedNotifications);
        Assert.Equal(OutboxKind.AdminFailure, notification.Kind);
        Assert.Equal(desc, notification.Reason);
        Assert.Equal("254708374149", notification.PhoneNumber);
        // No M-Pesa date on failures: the time it was received, in Kenyan time.
        Assert.Equal("2025-03-01 12:00:00", notification.Date);

        var numeric = await _store.ScalarAsync<int?>("SELECT result_code FROM transactions WHERE checkout_request_id = @id", new { id });
        Assert.Equal(StatusMapping.NumericCode(code), numeric);
    }

    [Fact]
    public async Task TheSameCallbackTwiceChangesNothingAndQueuesNothingTheSecondTime()
    {
        var id = Callbacks.NewCheckoutId();
        var callback = Callbacks.Success(id, receivedAt: ReceivedAt);
        await _store.Recorder.RecordAsync(callback, CancellationToken.None);

        var repeat = await _store.Recorder.RecordAsync(callback with { ReceivedAt = ReceivedAt.AddMinutes(3) }, CancellationToken.None);

        Assert.Equal(CallbackOutcome.Duplicate, repeat.Outcome);
        Assert.Empty(repeat.QueuedNotifications);
        Assert.Equal(PaymentStatus.Success, repeat.Transaction.Status);
        Assert.Equal(ReceivedAt.UtcDateTime, repeat.Transaction.CompletedAt);
        Assert.Equal(1, await _store.ScalarAsync<long>(
            "SELECT COUNT(*) FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id WHERE t.checkout_request_id = @id", new { id }));
        var inbox = await _store.QueryAsync<(string, int)>(
            "SELECT outcome, delivery_count FROM stk_callback_inbox WHERE checkout_request_id = @id", new { id });
        Assert.Equal([("Applied", 2)], inbox);
        Assert.Equal(ReceivedAt.AddMinutes(3).UtcDateTime, await _store.ScalarAsync<DateTime>(
            "SELECT last_received_at FROM stk_callback_inbox WHERE checkout_request_id = @id", new { id }));
    }

    [Fact]
    public async Task TheSameResultInADifferentlyWrittenBodyIsADuplicateKeptInTheInbox()
    {
        var id = Callbacks.NewCheckoutId();
        await _store.Recorder.RecordAsync(Callbacks.Failure(id, "1032", "Request cancelled by user"), CancellationToken.None);

        var repeat = await _store.Recorder.RecordAsync(
            Callbacks.Failure(id, "1032", "[STK_CB - ]Request cancelled by user"), CancellationToken.None);

        Assert.Equal(CallbackOutcome.Duplicate, repeat.Outcome);
        Assert.Equal("Request cancelled by user", repeat.Transaction.ResultDesc);
        var inbox = await _store.QueryAsync<string>(
            "SELECT outcome FROM stk_callback_inbox WHERE checkout_request_id = @id ORDER BY id", new { id });
        Assert.Equal(["Applied", "Duplicate"], inbox);
    }

    [Fact]
    public async Task ADifferentResultForAFinishedPaymentIsFlaggedAndNeverOverwritesIt()
    {
        var id = Callbacks.NewCheckoutId();
        await RegisterAsync(id, chat: 7004);
        await _store.Recorder.RecordAsync(Callbacks.Success(id), CancellationToken.None);

        var late = await _store.Recorder.RecordAsync(Callbacks.Failure(id, "1032", "Request cancelled by user"), CancellationToken.None);

        Assert.Equal(CallbackOutcome.Conflict, late.Outcome);
        // The admin is alerted once; nothing else is queued.
        var alert = Assert.Single(late.QueuedNotifications);
        Assert.Equal(OutboxKind.AdminConflict, alert.Kind);
        Assert.Contains("1032", alert.Detail, StringComparison.Ordinal);
        Assert.Equal(PaymentStatus.Success, late.Transaction.Status);
        Assert.Equal("NLJ7RT61SV", late.Transaction.MpesaReceiptNumber);
        var stored = await _store.Transactions.GetAsync(id, CancellationToken.None);
        Assert.Equal(PaymentStatus.Success, stored!.Status);
        Assert.Equal("0", stored.ResultCode);
        var inbox = await _store.QueryAsync<string>(
            "SELECT outcome FROM stk_callback_inbox WHERE checkout_request_id = @id ORDER BY id", new { id });
        Assert.Equal(["Applied", "Conflict"], inbox);
        Assert.Equal(3, await _store.ScalarAsync<long>(
            "SELECT COUNT(*) FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id WHERE t.checkout_request_id = @id", new { id }));

        // A third, different result is kept too but alerts no more (one conflict message per payment).
        var third = await _store.Recorder.RecordAsync(Callbacks.Failure(id, "2001", "Wrong PIN"), CancellationToken.None);
        Assert.Equal(CallbackOutcome.Conflict, third.Outcome);
        Assert.Empty(third.QueuedNotifications);
    }

    [Fact]
    public async Task ASecondSuccessWithAnotherReceiptIsAConflictNotASecondPayment()
    {
        var id = Callbacks.NewCheckoutId();
        await _store.Recorder.RecordAsync(Callbacks.Success(id, receipt: "AAA1111111"), CancellationToken.None);

        var other = await _store.Recorder.RecordAsync(Callbacks.Success(id, receipt: "BBB2222222"), CancellationToken.None);
        var otherAmount = await _store.Recorder.RecordAsync(Callbacks.Success(id, receipt: "AAA1111111", amount: 5m), CancellationToken.None);

        Assert.Equal(CallbackOutcome.Conflict, other.Outcome);
        Assert.Equal(CallbackOutcome.Conflict, otherAmount.Outcome);
        Assert.Equal("AAA1111111", other.Transaction.MpesaReceiptNumber);
        Assert.Equal(1000m, otherAmount.Transaction.Amount);
    }

    [Fact]
    public async Task ACallbackForAnUnregisteredPaymentIsRecordedNotLost()
    {
        var id = Callbacks.NewCheckoutId();

        var recording = await _store.Recorder.RecordAsync(Callbacks.Success(id, phone: "254799000111"), CancellationToken.None);

        Assert.Equal(CallbackOutcome.Applied, recording.Outcome);
        Assert.Equal(PaymentStatus.Success, recording.Transaction.Status);
        Assert.Equal("29115-34620561-1", recording.Transaction.MerchantRequestId);
        // Nobody is linked to that phone: the admin hears of it, no receipt goes anywhere.
        Assert.Equal([OutboxKind.AdminSuccess], recording.QueuedNotifications.Select(n => n.Kind));
    }

    [Fact]
    public async Task AnUnreadableTransactionDateIsStoredAsUnknownWhileThePaymentIsKept()
    {
        var id = Callbacks.NewCheckoutId();
        var callback = Callbacks.Success(id, receivedAt: ReceivedAt) with { TransactionDateText = "2019-12-19T10:21", TransactionDate = null };

        var recording = await _store.Recorder.RecordAsync(callback, CancellationToken.None);

        Assert.Equal(PaymentStatus.Success, recording.Transaction.Status);
        Assert.Null(recording.Transaction.TransactionDate);
        Assert.Equal("2025-03-01 12:00:00", recording.QueuedNotifications[0].Date);
        Assert.Equal(callback.RawPayload, await _store.ScalarAsync<string>(
            "SELECT raw_payload FROM stk_callback_inbox WHERE checkout_request_id = @id", new { id }));
    }

    [Fact]
    public async Task TheGatewaysReceivedTimeIsWhenThePaymentCompleted()
    {
        var id = Callbacks.NewCheckoutId();
        var receivedAt = new DateTimeOffset(2025, 2, 28, 21, 30, 0, TimeSpan.Zero);

        var recording = await _store.Recorder.RecordAsync(Callbacks.Failure(id, "1019", "Transaction has expired", receivedAt), CancellationToken.None);

        Assert.Equal(receivedAt.UtcDateTime, recording.Transaction.CompletedAt);
        Assert.Equal("2025-03-01 00:30:00", recording.QueuedNotifications[0].Date);
        Assert.Equal(receivedAt.UtcDateTime, await _store.ScalarAsync<DateTime>(
            "SELECT first_received_at FROM stk_callback_inbox WHERE checkout_request_id = @id", new { id }));
    }

    [Theory]
    [MemberData(nameof(StkSamples))]
    public async Task EveryRealDarajaSampleIsRecorded(string sample)
    {
        var id = Callbacks.NewCheckoutId();

        var recording = await _store.Recorder.RecordAsync(Callbacks.FromFixture(sample, id), CancellationToken.None);

        Assert.Equal(CallbackOutcome.Applied, recording.Outcome);
        Assert.NotEqual(PaymentStatus.Pending, recording.Transaction.Status);
        Assert.Single(recording.QueuedNotifications, n => n.Kind is OutboxKind.AdminSuccess or OutboxKind.AdminFailure);
        if (recording.Transaction.Status == PaymentStatus.Success)
        {
            Assert.NotNull(recording.Transaction.MpesaReceiptNumber);
            Assert.NotNull(recording.Transaction.Amount);
            Assert.NotNull(recording.Transaction.TransactionDate);
        }
    }

    public static TheoryData<string> StkSamples() => [.. TestSupport.DarajaFixtures.StkCallbackNames];

    private Task<PendingRegistrationResult> RegisterAsync(string id, long? chat) =>
        _store.Transactions.RegisterPendingAsync(
            new PendingRegistration
            {
                CheckoutRequestId = id,
                MerchantRequestId = "29115-34620561-1",
                PhoneNumber = "254708374149",
                Amount = 1000m,
                AccountReference = "INV-1",
                TelegramChatId = chat,
            },
            CancellationToken.None);
}
