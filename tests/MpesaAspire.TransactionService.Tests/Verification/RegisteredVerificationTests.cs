using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Verification;

/// <summary>
/// <c>Payments:Verification</c> = registered: a success counts only for a payment we registered, with
/// the requested amount and the registered phone. Anything else is recorded Unverified, the admin is
/// warned instead of congratulated, the payer gets nothing, and an operator can promote it.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class RegisteredVerificationTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() =>
        _store = await fixture.CreateStoreAsync(settings: new Dictionary<string, string?> { ["Payments:Verification"] = "registered" });

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ASuccessMatchingItsRegistrationIsPaidWithTheUsualMessages()
    {
        var id = Callbacks.NewCheckoutId();
        await RegisterAsync(id, amount: 1000m, chat: 9101);

        var recording = await _store.Recorder.RecordAsync(Callbacks.Success(id, amount: 1000m), CancellationToken.None);

        Assert.Equal(PaymentStatus.Success, recording.Transaction.Status);
        Assert.False(recording.Transaction.AmountMismatch);
        Assert.Equal([OutboxKind.AdminSuccess, OutboxKind.UserReceipt], recording.QueuedNotifications.Select(n => n.Kind).Order());
    }

    [Fact]
    public async Task AWrongAmountIsUnverifiedFlaggedAndWarnsTheAdminWithoutAReceipt()
    {
        var id = Callbacks.NewCheckoutId();
        await RegisterAsync(id, amount: 1000m, chat: 9102);

        var recording = await _store.Recorder.RecordAsync(Callbacks.Success(id, amount: 10m, receipt: "WRONG00001"), CancellationToken.None);

        var transaction = recording.Transaction;
        Assert.Equal(PaymentStatus.Unverified, transaction.Status);
        Assert.True(transaction.AmountMismatch);
        Assert.Contains("differs from the amount requested", transaction.VerificationReason, StringComparison.Ordinal);
        var warning = Assert.Single(recording.QueuedNotifications);
        Assert.Equal(OutboxKind.AdminUnverified, warning.Kind);
        Assert.Equal(transaction.VerificationReason, warning.Detail);
        Assert.True(warning.AmountMismatch);
        Assert.Equal(1000m, warning.RequestedAmount);
        Assert.Equal(0, await ReceiptsAsync(id));
        Assert.Equal("Unverified", await _store.ScalarAsync<string>("SELECT status FROM transactions WHERE checkout_request_id = @id", new { id }));
    }

    [Fact]
    public async Task ASuccessForAPaymentNobodyRegisteredIsUnverified()
    {
        var id = Callbacks.NewCheckoutId();
        await _store.Users.RegisterAsync(
            new UserRegistration { TelegramChatId = 9103, PhoneNumber = "254708374149", FirstName = "Victim" }, CancellationToken.None);

        var recording = await _store.Recorder.RecordAsync(Callbacks.Success(id), CancellationToken.None);

        Assert.Equal(PaymentStatus.Unverified, recording.Transaction.Status);
        Assert.Contains("No pending payment was registered", recording.Transaction.VerificationReason, StringComparison.Ordinal);
        Assert.Equal(OutboxKind.AdminUnverified, Assert.Single(recording.QueuedNotifications).Kind);
    }

    [Fact]
    public async Task ASuccessThatCameBeforeItsRegistrationIsPaidOnceTheRegistrationMatches()
    {
        var id = Callbacks.NewCheckoutId();
        var early = await _store.Recorder.RecordAsync(Callbacks.Success(id, amount: 1000m), CancellationToken.None);
        Assert.Equal(PaymentStatus.Unverified, early.Transaction.Status);

        var registration = await RegisterAsync(id, amount: 1000m, chat: 9108);
        var promoted = await _store.Recorder.RecheckAfterRegistrationAsync(Registration(id, 1000m, 9108), CancellationToken.None);
        var again = await _store.Recorder.RecheckAfterRegistrationAsync(Registration(id, 1000m, 9108), CancellationToken.None);

        Assert.Equal(PaymentStatus.Unverified, registration.Transaction.Status);
        Assert.NotNull(promoted);
        Assert.Equal(PaymentStatus.Success, promoted.Transaction.Status);
        Assert.Equal([OutboxKind.AdminSuccess, OutboxKind.UserReceipt], promoted.QueuedNotifications.Select(n => n.Kind).Order());
        Assert.Equal(9108, promoted.QueuedNotifications.Single(n => n.Kind == OutboxKind.UserReceipt).ChatId);
        Assert.Null(again);
        Assert.Equal(1, await ReceiptsAsync(id));
    }

    [Fact]
    public async Task ALateRegistrationForAnotherAmountLeavesTheSuccessUnverified()
    {
        var id = Callbacks.NewCheckoutId();
        await _store.Recorder.RecordAsync(Callbacks.Success(id, amount: 10m), CancellationToken.None);

        await RegisterAsync(id, amount: 1000m, chat: 9109);
        var promoted = await _store.Recorder.RecheckAfterRegistrationAsync(Registration(id, 1000m, 9109), CancellationToken.None);

        Assert.Null(promoted);
        Assert.Equal("Unverified", await _store.ScalarAsync<string>("SELECT status FROM transactions WHERE checkout_request_id = @id", new { id }));
        Assert.Equal(0, await ReceiptsAsync(id));
    }

    [Fact]
    public async Task AnotherPayingPhoneIsUnverified()
    {
        var id = Callbacks.NewCheckoutId();
        await RegisterAsync(id, amount: 1000m, chat: 9104);

        var recording = await _store.Recorder.RecordAsync(Callbacks.Success(id, phone: "254711999888"), CancellationToken.None);

        Assert.Equal(PaymentStatus.Unverified, recording.Transaction.Status);
        Assert.Contains("registered one", recording.Transaction.VerificationReason, StringComparison.Ordinal);
        Assert.DoesNotContain("254711999888", recording.Transaction.VerificationReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheGenuineCancellationStillAppliesAfterAnUnverifiedSuccess()
    {
        var id = Callbacks.NewCheckoutId();
        await RegisterAsync(id, amount: 1000m, chat: 9105);
        await _store.Recorder.RecordAsync(Callbacks.Success(id, amount: 1m, receipt: "FORGED0001"), CancellationToken.None);

        var genuine = await _store.Recorder.RecordAsync(Callbacks.Failure(id, "1032", "Request cancelled by user"), CancellationToken.None);

        Assert.Equal(CallbackOutcome.Applied, genuine.Outcome);
        Assert.Equal(PaymentStatus.Cancelled, genuine.Transaction.Status);
        Assert.Null(genuine.Transaction.MpesaReceiptNumber);
        Assert.Equal(1000m, genuine.Transaction.Amount);
        Assert.False(genuine.Transaction.AmountMismatch);
        Assert.Contains("refuted", genuine.Transaction.VerificationReason, StringComparison.Ordinal);
        Assert.Equal(OutboxKind.AdminFailure, Assert.Single(genuine.QueuedNotifications).Kind);
        Assert.Equal(0, await ReceiptsAsync(id));
    }

    [Fact]
    public async Task AnOperatorPromotesAnUnverifiedSuccessOnceWithOneReceipt()
    {
        var id = Callbacks.NewCheckoutId();
        await RegisterAsync(id, amount: 1000m, chat: 9106);
        await _store.Recorder.RecordAsync(Callbacks.Success(id, amount: 999m, receipt: "SHORT00001"), CancellationToken.None);

        var (result, promoted) = await _store.Recorder.ConfirmAsync(id, CancellationToken.None);
        var (again, _) = await _store.Recorder.ConfirmAsync(id, CancellationToken.None);

        Assert.Equal(OperatorChangeResult.Applied, result);
        Assert.Equal(PaymentStatus.Success, promoted!.Transaction.Status);
        Assert.Equal("SHORT00001", promoted.Transaction.MpesaReceiptNumber);
        Assert.True(promoted.Transaction.AmountMismatch);
        Assert.Equal([OutboxKind.AdminSuccess, OutboxKind.UserReceipt], promoted.QueuedNotifications.Select(n => n.Kind).Order());
        Assert.Equal(9106, promoted.QueuedNotifications.Single(n => n.Kind == OutboxKind.UserReceipt).ChatId);
        Assert.Equal(OperatorChangeResult.WrongStatus, again);
        Assert.Equal(1, await ReceiptsAsync(id));

        // A repeat of the promoted success is only a duplicate: nothing more goes out.
        var repeat = await _store.Recorder.RecordAsync(Callbacks.Success(id, amount: 999m, receipt: "SHORT00001"), CancellationToken.None);
        Assert.Equal(CallbackOutcome.Duplicate, repeat.Outcome);
        Assert.Empty(repeat.QueuedNotifications);
    }

    [Fact]
    public async Task ConfirmingAPaymentThatIsNotUnverifiedIsRefused()
    {
        var id = Callbacks.NewCheckoutId();
        await RegisterAsync(id, amount: 1000m, chat: 9107);

        var (pending, _) = await _store.Recorder.ConfirmAsync(id, CancellationToken.None);
        var (missing, _) = await _store.Recorder.ConfirmAsync(Callbacks.NewCheckoutId(), CancellationToken.None);

        Assert.Equal(OperatorChangeResult.WrongStatus, pending);
        Assert.Equal(OperatorChangeResult.NotFound, missing);
    }

    private Task<long> ReceiptsAsync(string id) => _store.ScalarAsync<long>(
        """
        SELECT COUNT(*) FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id
        WHERE t.checkout_request_id = @id AND o.kind = 'UserReceipt'
        """,
        new { id });

    private Task<PendingRegistrationResult> RegisterAsync(string id, decimal amount, long chat) =>
        _store.Transactions.RegisterPendingAsync(Registration(id, amount, chat), CancellationToken.None);

    private static PendingRegistration Registration(string id, decimal amount, long chat) => new()
    {
        CheckoutRequestId = id,
        MerchantRequestId = "29115-34620561-1",
        PhoneNumber = "254708374149",
        Amount = amount,
        AccountReference = "INV-1",
        TelegramChatId = chat,
    };
}
