using Dapper;
using MpesaAspire.TransactionService.Data;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Reconciliation;

/// <summary>
/// Which pending payments (and successes left Unverified by inconclusive queries) are due for an STK Push Query, and the claim that keeps replicas from
/// querying the same one at once: a row is claimed by moving its <c>next_query_at</c> forward in one
/// UPDATE whose WHERE still requires it to be due, so of two instances only one matches. A claim that
/// dies with its instance simply falls due again later. Rows of any origin count: pushes started here,
/// registrations, and rows an older bot inserted (status Pending or NULL, next_query_at NULL).
/// </summary>
public sealed class ReconciliationQueue(MySqlDataSource dataSource)
{
    // Not queried yet: due FirstQueryAfter after created_at.
    private const string DueAt = "COALESCE(next_query_at, created_at + INTERVAL @FirstQueryMicros MICROSECOND, @Now)";

    private const string PendingWhere = "(status = 'Pending' OR status IS NULL)";

    // Pending payments, and successes left Unverified because the queries were inconclusive (they
    // keep their held success): a later answer may still confirm or refute them.
    private const string QueryableWhere = $"({PendingWhere} OR (status = 'Unverified' AND held_success IS NOT NULL))";

    private const string DueSql = $"""
        SELECT id AS Id, checkout_request_id AS CheckoutRequestId, created_at AS CreatedAt, query_count AS QueryCount,
               status AS Status, held_at AS HeldAt
        FROM transactions
        WHERE {QueryableWhere} AND {DueAt} <= @Now
        ORDER BY id
        LIMIT @Limit
        """;

    private const string ClaimSql = $"""
        UPDATE transactions SET next_query_at = @ClaimUntil, query_count = query_count + 1
        WHERE id = @Id AND {QueryableWhere} AND {DueAt} <= @Now
        """;

    private const string RescheduleSql = $"UPDATE transactions SET next_query_at = @NextQueryAt WHERE id = @Id AND {QueryableWhere}";

    private const string NeedsReviewSql = $"""
        UPDATE transactions SET status = 'NeedsReview', next_query_at = NULL, updated_at = @UpdatedAt
        WHERE id = @Id AND {PendingWhere}
        """;

    private const string MakeDueSql = $"UPDATE transactions SET next_query_at = @Now WHERE {QueryableWhere}";

    /// <summary>Claims up to <paramref name="limit"/> due payments; each claim lasts until <paramref name="claimFor"/> gives.</summary>
    public async Task<IReadOnlyList<PendingPayment>> ClaimDueAsync(
        DateTimeOffset now, TimeSpan firstQueryAfter, int limit, Func<int, TimeSpan> claimFor, CancellationToken cancellationToken)
    {
        var nowUtc = DbTime.Utc(now);
        var firstQueryMicros = (long)(firstQueryAfter.Ticks / 10);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var due = await connection.QueryAsync<PendingPayment>(new CommandDefinition(
            DueSql, new { Now = nowUtc, FirstQueryMicros = firstQueryMicros, Limit = limit }, cancellationToken: cancellationToken));

        List<PendingPayment> claimed = [];
        foreach (var payment in due)
        {
            var claimUntil = DbTime.Utc(now + claimFor(payment.QueryCount + 1));
            var rows = await connection.ExecuteAsync(new CommandDefinition(
                ClaimSql,
                new { payment.Id, ClaimUntil = claimUntil, Now = nowUtc, FirstQueryMicros = firstQueryMicros },
                cancellationToken: cancellationToken));
            if (rows == 1)
            {
                payment.QueryCount++;
                claimed.Add(payment);
            }
        }

        return claimed;
    }

    public Task RescheduleAsync(long id, DateTimeOffset nextQueryAt, CancellationToken cancellationToken) =>
        ExecuteAsync(RescheduleSql, new { Id = id, NextQueryAt = DbTime.Utc(nextQueryAt) }, cancellationToken);

    public Task<int> MarkNeedsReviewAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync(NeedsReviewSql, new { Id = id, UpdatedAt = DbTime.UtcSeconds(now) }, cancellationToken);

    /// <summary>Makes every pending payment due now (the operator's "Reconcile pending now"); returns how many.</summary>
    public Task<int> MakeAllDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync(MakeDueSql, new { Now = DbTime.Utc(now) }, cancellationToken);

    private async Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }
}
