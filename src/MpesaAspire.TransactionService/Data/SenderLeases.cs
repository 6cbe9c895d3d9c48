using Dapper;
using MpesaAspire.TransactionService.Diagnostics;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Data;

/// <summary>
/// Elects the one active sender among replicas: a row per role holding its holder and an expiry. The
/// holder renews it; anyone may take it once it has run out. One statement, so two callers racing for
/// an expired lease cannot both get it.
/// </summary>
public sealed class SenderLeases(
    MySqlDataSource dataSource,
    TransactionRetry retry,
    TimeProvider timeProvider,
    ILogger<SenderLeases> logger)
{
    // ON DUPLICATE KEY UPDATE assigns left to right: lease_until sees holder as just set, so it moves
    // only when the caller holds the lease now (renewed, or taken over because it had run out).
    private const string AcquireSql = """
        INSERT INTO sender_lease (name, holder, lease_until) VALUES (@Name, @Holder, @LeaseUntil)
        ON DUPLICATE KEY UPDATE
            holder = IF(holder = @Holder OR lease_until < @Now, @Holder, holder),
            lease_until = IF(holder = @Holder, @LeaseUntil, lease_until)
        """;

    private const string CurrentSql = "SELECT holder AS Holder, lease_until AS LeaseUntil FROM sender_lease WHERE name = @Name";

    private const string ReleaseSql = "UPDATE sender_lease SET lease_until = @Now WHERE name = @Name AND holder = @Holder AND lease_until > @Now";

    /// <summary>Takes or renews the lease on <paramref name="name"/> for <paramref name="holder"/>; answers who holds it now, and until when.</summary>
    public Task<SenderLease> AcquireAsync(string name, string holder, TimeSpan lease, CancellationToken cancellationToken) =>
        retry.ExecuteAsync("AcquireSenderLease", async token =>
        {
            var now = timeProvider.GetUtcNow();
            await using var connection = await dataSource.OpenConnectionAsync(token);
            var parameters = new { Name = name, Holder = holder, Now = DbTime.Utc(now), LeaseUntil = DbTime.Utc(now + lease) };
            await connection.ExecuteAsync(new CommandDefinition(AcquireSql, parameters, cancellationToken: token));
            var current = await connection.QuerySingleAsync<SenderLease>(new CommandDefinition(CurrentSql, parameters, cancellationToken: token));
            return current with { LeaseUntil = DateTime.SpecifyKind(current.LeaseUntil, DateTimeKind.Utc) };
        }, cancellationToken);

    /// <summary>Gives the lease up at once (a holder stopping), so a standby need not wait for it to run out.</summary>
    public Task<bool> ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        retry.ExecuteAsync("ReleaseSenderLease", async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            var released = await connection.ExecuteAsync(new CommandDefinition(
                ReleaseSql, new { Name = name, Holder = holder, Now = DbTime.Utc(timeProvider.GetUtcNow()) }, cancellationToken: token)) == 1;
            if (released)
            {
                TransactionServiceLog.SenderLeaseReleased(logger, name, holder);
            }

            return released;
        }, cancellationToken);
}

/// <summary>Who holds a sender lease, and until when (UTC).</summary>
public sealed record SenderLease(string Holder, DateTime LeaseUntil);
