using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Data;

/// <summary>
/// Lease tokens, sends recorded before they leave, uncertain receipts, dead letters and the operator's
/// ways back into the queue. Each test has a database of its own: leasing looks at the whole outbox.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class NotificationDeliveryStateTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SendingLease = TimeSpan.FromSeconds(25);

    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await fixture.CreateStoreAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task AHolderWhoseLeaseWasTakenOverCanNeitherSendNorCompleteIt()
    {
        var id = await QueueAdminMessageAsync();
        var stale = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
        _store.Time.Advance(TimeSpan.FromSeconds(61));
        var current = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
        Assert.Equal(id, Assert.Single(current.Notifications).Id);

        var lateRetry = await _store.Outbox.CompleteAsync(Report(id, DeliveryOutcome.Retry, stale.Token), CancellationToken.None);
        var lateSend = await _store.Outbox.MarkSendingAsync(id, stale.Token, SendingLease, CancellationToken.None);

        Assert.Equal(CompletionResult.LeaseNotHeld, lateRetry);
        Assert.Equal(CompletionResult.LeaseNotHeld, lateSend);
        Assert.Equal(CompletionResult.Applied, await _store.Outbox.CompleteAsync(Report(id, DeliveryOutcome.Delivered, current.Token), CancellationToken.None));
        Assert.Equal("Delivered", await StatusAsync(id));
    }

    [Fact]
    public async Task AReceiptWhoseSendStartedButWasNeverReportedBecomesUncertainAndIsNotSentAgain()
    {
        var receipt = await QueueReceiptAsync();
        var lease = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
        Assert.Equal(CompletionResult.Applied, await _store.Outbox.MarkSendingAsync(receipt, lease.Token, SendingLease, CancellationToken.None));
        Assert.Equal("Sending", await StatusAsync(receipt));

        // The sender crashed: nobody reports. Once the send's lease runs out the next lease settles it.
        _store.Time.Advance(SendingLease + TimeSpan.FromSeconds(1));
        var next = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);

        Assert.Equal(receipt, Assert.Single(next.BecameUncertain).Id);
        Assert.DoesNotContain(next.Notifications, n => n.Id == receipt);
        Assert.Equal("Uncertain", await StatusAsync(receipt));
        _store.Time.Advance(TimeSpan.FromDays(2));
        var later = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
        Assert.DoesNotContain(later.Notifications, n => n.Id == receipt);
        Assert.Empty(later.BecameUncertain);
    }

    [Fact]
    public async Task AnAdminMessageWhoseSendWasNeverReportedIsSimplyQueuedAgain()
    {
        var id = await QueueAdminMessageAsync();
        var lease = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
        await _store.Outbox.MarkSendingAsync(id, lease.Token, SendingLease, CancellationToken.None);

        _store.Time.Advance(SendingLease + TimeSpan.FromSeconds(1));
        var next = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);

        Assert.Empty(next.BecameUncertain);
        Assert.Equal(id, Assert.Single(next.Notifications).Id);
    }

    [Fact]
    public async Task ALateDeliveredReportSettlesAnUncertainReceipt()
    {
        var receipt = await QueueReceiptAsync();
        var lease = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
        await _store.Outbox.MarkSendingAsync(receipt, lease.Token, SendingLease, CancellationToken.None);
        await _store.Outbox.CompleteAsync(Report(receipt, DeliveryOutcome.Uncertain, lease.Token), CancellationToken.None);
        Assert.Equal("Uncertain", await StatusAsync(receipt));

        var late = await _store.Outbox.CompleteAsync(Report(receipt, DeliveryOutcome.Delivered, lease.Token), CancellationToken.None);

        Assert.Equal(CompletionResult.Applied, late);
        Assert.Equal("Delivered", await StatusAsync(receipt));
    }

    [Fact]
    public async Task AnOperatorsResendPutsAnUncertainReceiptBackInTheQueueOnce()
    {
        var receipt = await QueueReceiptAsync();
        var lease = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
        await _store.Outbox.CompleteAsync(Report(receipt, DeliveryOutcome.Uncertain, lease.Token), CancellationToken.None);
        var (listed, total) = await _store.Outbox.ListAsync(OutboxStatus.Uncertain, 50, CancellationToken.None);
        Assert.Equal(receipt, Assert.Single(listed).Id);
        Assert.Equal(1, total);

        var (resent, notification) = await _store.Outbox.ResendUncertainAsync(receipt, CancellationToken.None);
        var (again, _) = await _store.Outbox.ResendUncertainAsync(receipt, CancellationToken.None);

        Assert.Equal(OperatorChangeResult.Applied, resent);
        Assert.Equal(OutboxStatus.Pending, notification!.Status);
        Assert.Equal(OperatorChangeResult.WrongStatus, again);
        Assert.Equal(receipt, Assert.Single((await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None)).Notifications).Id);
    }

    [Fact]
    public async Task ANotificationFailingLongerThanTheRetryAgeBecomesADeadLetterUntilAnOperatorRearmsIt()
    {
        var id = await QueueAdminMessageAsync();
        var lease = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
        await _store.Outbox.CompleteAsync(Report(id, DeliveryOutcome.Retry, lease.Token), CancellationToken.None);
        Assert.Equal("Pending", await StatusAsync(id));

        _store.Time.Advance(TimeSpan.FromHours(24));
        lease = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
        Assert.Equal(id, Assert.Single(lease.Notifications).Id);
        await _store.Outbox.CompleteAsync(Report(id, DeliveryOutcome.Retry, lease.Token), CancellationToken.None);

        Assert.Equal("DeadLetter", await StatusAsync(id));
        _store.Time.Advance(TimeSpan.FromDays(1));
        Assert.Empty((await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None)).Notifications);
        Assert.Equal(1, (await _store.Outbox.ListAsync(OutboxStatus.DeadLetter, 50, CancellationToken.None)).Total);

        var (rearmed, _) = await _store.Outbox.RearmAsync(id, CancellationToken.None);

        Assert.Equal(OperatorChangeResult.Applied, rearmed);
        lease = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
        Assert.Equal(0, Assert.Single(lease.Notifications).Attempts);
        // A fresh retry budget: one more failure now does not dead-letter it again.
        await _store.Outbox.CompleteAsync(Report(id, DeliveryOutcome.Retry, lease.Token), CancellationToken.None);
        Assert.Equal("Pending", await StatusAsync(id));
    }

    [Fact]
    public async Task WaitingForTheAdminChatNeitherCountsAsAnAttemptNorAgesIntoADeadLetter()
    {
        var id = await QueueAdminMessageAsync();
        for (var i = 0; i < 3; i++)
        {
            var lease = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
            Assert.Equal(id, Assert.Single(lease.Notifications).Id);
            await _store.Outbox.CompleteAsync(
                Report(id, DeliveryOutcome.Waiting, lease.Token) with { RetryAfter = TimeSpan.FromHours(20) }, CancellationToken.None);
            _store.Time.Advance(TimeSpan.FromHours(20));
        }

        Assert.Equal("Pending", await StatusAsync(id));
        Assert.Equal(0, await _store.ScalarAsync<int>("SELECT attempts FROM notification_outbox WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task ADryRunRenderIsRecordedAsDryRunNeverAsDelivered()
    {
        var id = await QueueAdminMessageAsync();
        var lease = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);

        await _store.Outbox.CompleteAsync(Report(id, DeliveryOutcome.DryRun, lease.Token), CancellationToken.None);

        Assert.Equal("DryRun", await StatusAsync(id));
        _store.Time.Advance(TimeSpan.FromDays(1));
        Assert.Empty((await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None)).Notifications);
    }

    private static DeliveryReport Report(long id, DeliveryOutcome outcome, string leaseToken) =>
        new() { NotificationId = id, Outcome = outcome, LeaseToken = leaseToken, Detail = outcome.ToString() };

    private async Task<long> QueueAdminMessageAsync()
    {
        var recording = await _store.Recorder.RecordAsync(Callbacks.Failure(Callbacks.NewCheckoutId(), "1", "Insufficient balance"), CancellationToken.None);
        return Assert.Single(recording.QueuedNotifications).Id;
    }

    /// <summary>Queues a payment's admin message and receipt, settles the admin message, and returns the receipt.</summary>
    private async Task<long> QueueReceiptAsync()
    {
        await _store.Users.RegisterAsync(new UserRegistration { TelegramChatId = 6601, PhoneNumber = "254708374149" }, CancellationToken.None);
        var recording = await _store.Recorder.RecordAsync(Callbacks.Success(Callbacks.NewCheckoutId()), CancellationToken.None);
        var admin = Assert.Single(recording.QueuedNotifications, n => n.Kind == OutboxKind.AdminSuccess).Id;
        var lease = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
        await _store.Outbox.CompleteAsync(Report(admin, DeliveryOutcome.Delivered, lease.Token), CancellationToken.None);
        _store.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        return Assert.Single(recording.QueuedNotifications, n => n.Kind == OutboxKind.UserReceipt).Id;
    }

    private Task<string> StatusAsync(long id) =>
        _store.ScalarAsync<string>("SELECT status FROM notification_outbox WHERE id = @id", new { id });
}
