using MpesaAspire.TransactionService.Data;
using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Data;

/// <summary>Each test has a database of its own: leasing looks at the whole outbox.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class NotificationOutboxTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    private TestStore _store = null!;

    private string _token = "";

    public async Task InitializeAsync() => _store = await fixture.CreateStoreAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task DueNotificationsAreLeasedOldestFirstWithWhatTheMessageNeeds()
    {
        var first = await QueueAbandonedAsync(Callbacks.Failure(Callbacks.NewCheckoutId(), "1032", "Request cancelled by user"));
        var second = await QueueAbandonedAsync(Callbacks.Success(Callbacks.NewCheckoutId(), amount: 10500m, receipt: "QAB1CD2EF3"));

        var leased = await LeaseAsync();

        Assert.Equal(first.Concat(second), leased.Select(n => n.Id));
        var failure = leased[0];
        Assert.Equal(OutboxKind.AdminFailure, failure.Kind);
        Assert.Equal("Request cancelled by user", failure.Reason);
        Assert.Equal(0, failure.Attempts);
        var success = leased[1];
        Assert.Equal(OutboxKind.AdminSuccess, success.Kind);
        Assert.Equal(10500m, success.Amount);
        Assert.Equal("QAB1CD2EF3", success.MpesaReceiptNumber);
        Assert.Equal("254708374149", success.PhoneNumber);
        Assert.Equal("2019-12-19 10:21:15", success.Date);
    }

    [Fact]
    public async Task ANewPaymentsNotificationsAreLeasedBeforeAnOldBacklog()
    {
        List<long> backlog = [];
        for (var i = 0; i < 6; i++)
        {
            backlog.AddRange(await QueueAbandonedAsync(Callbacks.Failure(Callbacks.NewCheckoutId(), "1037", "DS timeout")));
        }

        var fresh = (await _store.Recorder.RecordAsync(Callbacks.Success(Callbacks.NewCheckoutId()), CancellationToken.None))
            .QueuedNotifications.Select(n => n.Id).ToList();

        var leased = (await _store.Outbox.LeaseAsync(4, Lease, CancellationToken.None)).Notifications.Select(n => n.Id).ToList();

        Assert.Equal(fresh, leased.Take(fresh.Count));
        Assert.Equal(backlog.Take(4 - fresh.Count), leased.Skip(fresh.Count));
    }

    [Fact]
    public async Task TheBacklogKeepsAQuarterOfEveryLeaseNewestFreshFirst()
    {
        var oldest = (await QueueAbandonedAsync(Callbacks.Failure(Callbacks.NewCheckoutId(), "1037", "DS timeout"))).Single();
        List<long> fresh = [];
        for (var i = 0; i < 6; i++)
        {
            var recording = await _store.Recorder.RecordAsync(Callbacks.Failure(Callbacks.NewCheckoutId(), "1032", "Request cancelled by user"), CancellationToken.None);
            fresh.AddRange(recording.QueuedNotifications.Select(n => n.Id));
            _store.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var leased = (await _store.Outbox.LeaseAsync(4, Lease, CancellationToken.None)).Notifications.Select(n => n.Id).ToList();

        Assert.Equal([.. Enumerable.Reverse(fresh).Take(3), oldest], leased);
    }

    [Fact]
    public async Task WithoutABacklogAWholeLeaseIsFresh()
    {
        for (var i = 0; i < 6; i++)
        {
            await _store.Recorder.RecordAsync(Callbacks.Failure(Callbacks.NewCheckoutId(), "1032", "Request cancelled by user"), CancellationToken.None);
        }

        Assert.Equal(4, (await _store.Outbox.LeaseAsync(4, Lease, CancellationToken.None)).Notifications.Count);
    }

    [Theory]
    [InlineData(NotificationOutbox.FreshSql)]
    [InlineData(NotificationOutbox.BacklogSql)]
    public async Task BothLeaseLanesWalkTheDueIndexWithoutSorting(string sql)
    {
        var explain = "EXPLAIN " + sql.Replace("FOR UPDATE SKIP LOCKED", "", StringComparison.Ordinal);
        var now = TestStore.Start.UtcDateTime;

        var plan = await _store.QueryAsync<dynamic>(explain, new { Now = now, FreshSince = now.AddMinutes(-1), Limit = 10 });

        var row = (IDictionary<string, object>)Assert.Single(plan);
        Assert.Equal("ix_notification_outbox_due", row["key"]);
        Assert.DoesNotContain("filesort", row["Extra"]?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ALeasedNotificationIsNotHandedOutAgainUntilItsLeaseRunsOut()
    {
        var ids = await QueueAbandonedAsync(Callbacks.Success(Callbacks.NewCheckoutId()));

        Assert.Equal(ids, (await LeaseAsync()).Select(n => n.Id));
        Assert.Empty(await LeaseAsync());

        _store.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(await LeaseAsync());

        _store.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(ids, (await LeaseAsync()).Select(n => n.Id));
    }

    [Fact]
    public async Task RelaysLeasingAtTheSameTimeNeverGetTheSameNotification()
    {
        List<long> all = [];
        for (var i = 0; i < 20; i++)
        {
            all.AddRange(await QueueAbandonedAsync(Callbacks.Failure(Callbacks.NewCheckoutId(), "1037", "DS timeout")));
        }

        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => _store.Outbox.LeaseAsync(7, Lease, CancellationToken.None))));

        // A lane's scan briefly locks the row just past its range, which a relay leasing at that very
        // moment skips: it is leased by the next look instead. Never twice, and nothing left behind.
        var again = await _store.Outbox.LeaseAsync(20, Lease, CancellationToken.None);
        var leased = leases.Append(again).SelectMany(l => l.Notifications).Select(n => n.Id).ToList();
        Assert.Equal(leased.Count, leased.Distinct().Count());
        Assert.Equal(all.Order(), leased.Order());
    }

    [Fact]
    public async Task ADeliveredNotificationIsNeverLeasedAgainAndCannotBeCompletedTwice()
    {
        var id = (await QueueAbandonedAsync(Callbacks.Failure(Callbacks.NewCheckoutId(), "1", "Insufficient balance"))).Single();
        await LeaseAsync();

        var first = await _store.Outbox.CompleteAsync(
            new DeliveryReport { LeaseToken = _token, NotificationId = id, Outcome = DeliveryOutcome.Delivered, TelegramMessageId = 555 }, CancellationToken.None);
        var second = await _store.Outbox.CompleteAsync(
            new DeliveryReport { LeaseToken = _token, NotificationId = id, Outcome = DeliveryOutcome.Retry, Detail = "late" }, CancellationToken.None);

        Assert.Equal(CompletionResult.Applied, first);
        Assert.Equal(CompletionResult.NotPending, second);
        var row = await _store.QueryAsync<(string, int, long?, DateTime?)>(
            "SELECT status, attempts, telegram_message_id, delivered_at FROM notification_outbox WHERE id = @id", new { id });
        Assert.Equal([("Delivered", 1, (long?)555, (DateTime?)_store.Time.GetUtcNow().UtcDateTime)], row);
        _store.Time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await LeaseAsync());
    }

    [Fact]
    public async Task APermanentFailureIsRecordedWithTelegramsReasonAndNotRetried()
    {
        var id = (await QueueAbandonedAsync(Callbacks.Failure(Callbacks.NewCheckoutId(), "1", "Insufficient balance"))).Single();
        await LeaseAsync();

        await _store.Outbox.CompleteAsync(
            new DeliveryReport { LeaseToken = _token, NotificationId = id, Outcome = DeliveryOutcome.FailedPermanently, Detail = "Forbidden: bot was blocked by the user" },
            CancellationToken.None);

        var row = await _store.QueryAsync<(string, string)>("SELECT status, last_error FROM notification_outbox WHERE id = @id", new { id });
        Assert.Equal([("Failed", "Forbidden: bot was blocked by the user")], row);
        _store.Time.Advance(TimeSpan.FromDays(1));
        Assert.Empty(await LeaseAsync());
    }

    [Fact]
    public async Task ARetryWaitsLongerAfterEachFailedAttempt()
    {
        var id = (await QueueAbandonedAsync(Callbacks.Failure(Callbacks.NewCheckoutId(), "1", "Insufficient balance"))).Single();
        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            Assert.Equal(id, Assert.Single(await LeaseAsync()).Id);
            await _store.Outbox.CompleteAsync(
                new DeliveryReport { LeaseToken = _token, NotificationId = id, Outcome = DeliveryOutcome.Retry, Detail = "Bad Gateway" }, CancellationToken.None);
            waits.Add(await NextAttemptAsync(id) - _store.Time.GetUtcNow().UtcDateTime);
            _store.Time.Advance(waits[^1]);
        }

        Assert.Equal(
            [5, 10, 20, 40, 80, 160, 300, 300],
            waits.Select(w => (int)w.TotalSeconds));
        Assert.Equal(8, await _store.ScalarAsync<int>("SELECT attempts FROM notification_outbox WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task ARetryIsNeverSoonerThanTelegramsRetryAfter()
    {
        var id = (await QueueAbandonedAsync(Callbacks.Failure(Callbacks.NewCheckoutId(), "1", "Insufficient balance"))).Single();
        await LeaseAsync();

        await _store.Outbox.CompleteAsync(
            new DeliveryReport
            {
                LeaseToken = _token,
                NotificationId = id, Outcome = DeliveryOutcome.Retry, RetryAfter = TimeSpan.FromSeconds(37), Detail = "Too Many Requests: retry after 37",
            },
            CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(37), await NextAttemptAsync(id) - _store.Time.GetUtcNow().UtcDateTime);
        _store.Time.Advance(TimeSpan.FromSeconds(36));
        Assert.Empty(await LeaseAsync());
        _store.Time.Advance(TimeSpan.FromSeconds(1));
        var retried = Assert.Single(await LeaseAsync());
        Assert.Equal(1, retried.Attempts);
    }

    [Fact]
    public async Task AChatThatMovedIsUsedFromNowOnByTheNotificationAndTheUser()
    {
        await _store.Users.RegisterAsync(new UserRegistration { TelegramChatId = -1001, PhoneNumber = "254708374149" }, CancellationToken.None);
        var ids = await QueueAbandonedAsync(Callbacks.Success(Callbacks.NewCheckoutId()));
        var receipt = (await LeaseAsync()).Single(n => n.Kind == OutboxKind.UserReceipt);
        Assert.Equal(-1001, receipt.ChatId);

        await _store.Outbox.CompleteAsync(
            new DeliveryReport
            {
                LeaseToken = _token,
                NotificationId = receipt.Id, Outcome = DeliveryOutcome.Retry, MigratedToChatId = -1009876543210, Detail = "group upgraded to a supergroup",
            },
            CancellationToken.None);

        _store.Time.Advance(TimeSpan.FromMinutes(1));
        var again = Assert.Single(await LeaseAsync(), n => n.Id == receipt.Id);
        Assert.Equal(-1009876543210, again.ChatId);
        Assert.Equal(1, await _store.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE telegram_chat_id = -1009876543210"));
        Assert.Equal(2, ids.Count);
    }

    [Fact]
    public async Task CompletingANotificationThatDoesNotExistSaysSo() =>
        Assert.Equal(
            CompletionResult.NotFound,
            await _store.Outbox.CompleteAsync(
                new DeliveryReport { NotificationId = 987654, Outcome = DeliveryOutcome.Delivered, LeaseToken = "no-lease" }, CancellationToken.None));

    private async Task<IReadOnlyList<OutboxNotification>> LeaseAsync()
    {
        var lease = await _store.Outbox.LeaseAsync(10, Lease, CancellationToken.None);
        _token = lease.Token;
        return lease.Notifications;
    }

    /// <summary>Records a callback whose caller never completes its notifications, then lets their lease run out.</summary>
    private async Task<IReadOnlyList<long>> QueueAbandonedAsync(StkCallback callback)
    {
        var recording = await _store.Recorder.RecordAsync(callback, CancellationToken.None);
        _store.Time.Advance(TimeSpan.FromSeconds(61));
        return [.. recording.QueuedNotifications.Select(n => n.Id).Order()];
    }

    private async Task<DateTime> NextAttemptAsync(long id) =>
        await _store.ScalarAsync<DateTime>("SELECT next_attempt_at FROM notification_outbox WHERE id = @id", new { id });
}
