using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Verification;

/// <summary><c>Payments:Verification</c> = none (the seed's behaviour): a success is paid, but an amount other than the one requested is flagged.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class AmountFlagTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await fixture.StoreForClassAsync(GetType());

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task WithoutVerificationAWrongAmountIsStillPaidButFlaggedForTheAdmin()
    {
        var id = Callbacks.NewCheckoutId();
        await _store.Transactions.RegisterPendingAsync(
            new PendingRegistration
            {
                CheckoutRequestId = id,
                MerchantRequestId = "m-1",
                PhoneNumber = "254708374149",
                Amount = 500m,
                AccountReference = "INV-9",
                TelegramChatId = 9201,
            },
            CancellationToken.None);

        var recording = await _store.Recorder.RecordAsync(Callbacks.Success(id, amount: 50m), CancellationToken.None);

        Assert.Equal(PaymentStatus.Success, recording.Transaction.Status);
        Assert.True(recording.Transaction.AmountMismatch);
        Assert.Null(recording.Transaction.VerificationReason);
        var admin = recording.QueuedNotifications.Single(n => n.Kind == OutboxKind.AdminSuccess);
        Assert.True(admin.AmountMismatch);
        Assert.Equal(500m, admin.RequestedAmount);
        Assert.Equal(50m, admin.Amount);
        Assert.Equal(1, await _store.ScalarAsync<int>("SELECT amount_mismatch FROM transactions WHERE checkout_request_id = @id", new { id }));
    }

    [Fact]
    public async Task WithoutVerificationTheRightAmountIsNotFlagged()
    {
        var id = Callbacks.NewCheckoutId();
        await _store.Transactions.RegisterPendingAsync(
            new PendingRegistration
            {
                CheckoutRequestId = id,
                MerchantRequestId = "m-2",
                PhoneNumber = "254708374149",
                Amount = 1000m,
                AccountReference = "INV-9",
            },
            CancellationToken.None);

        var recording = await _store.Recorder.RecordAsync(Callbacks.Success(id, amount: 1000m), CancellationToken.None);

        Assert.Equal(PaymentStatus.Success, recording.Transaction.Status);
        Assert.False(recording.Transaction.AmountMismatch);
        Assert.False(recording.QueuedNotifications.Single(n => n.Kind == OutboxKind.AdminSuccess).AmountMismatch);
    }
}
