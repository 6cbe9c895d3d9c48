using Dapper;
using MpesaAspire.TransactionService.Data;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Daraja;

/// <summary>
/// The Daraja token shared by every replica, in <c>daraja_tokens</c> keyed by a hash of the credential
/// set. Each token request invalidates the previous token, so replicas must reuse one token rather
/// than fetch their own; a named MySQL lock makes the fetch single-flight across replicas too.
/// </summary>
public sealed class DarajaTokenStore(MySqlDataSource dataSource)
{
    private const string ReadSql = """
        SELECT access_token AS AccessToken, expires_at AS ExpiresAt FROM daraja_tokens WHERE credential_hash = @Hash
        """;

    private const string WriteSql = """
        INSERT INTO daraja_tokens (credential_hash, access_token, expires_at, fetched_at)
        VALUES (@Hash, @AccessToken, @ExpiresAt, @FetchedAt)
        ON DUPLICATE KEY UPDATE access_token = @AccessToken, expires_at = @ExpiresAt, fetched_at = @FetchedAt
        """;

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public async Task<DarajaToken?> ReadAsync(string hash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
            ReadSql, new { Hash = hash }, cancellationToken: cancellationToken));
        return row is null ? null : new DarajaToken(row.AccessToken, new DateTimeOffset(DateTime.SpecifyKind(row.ExpiresAt, DateTimeKind.Utc)));
    }

    public async Task WriteAsync(string hash, DarajaToken token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            WriteSql,
            new { Hash = hash, token.AccessToken, ExpiresAt = DbTime.Utc(token.ExpiresAt), FetchedAt = DbTime.Utc(now) },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Holds a MySQL named lock (<c>GET_LOCK</c>) for this credential set until disposed, so only one
    /// replica fetches a token at a time; the others then read the token it stored.
    /// </summary>
    public async Task<IAsyncDisposable> LockAsync(string hash, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var name = "daraja-token-" + hash[..32];
            var acquired = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT GET_LOCK(@Name, @Seconds)", new { Name = name, Seconds = (int)LockTimeout.TotalSeconds }, cancellationToken: cancellationToken));
            if (acquired != 1)
            {
                throw new TimeoutException("Another instance held the Daraja token lock for too long.");
            }

            return new NamedLock(connection, name);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class TokenRow
    {
        public string AccessToken { get; set; } = "";

        public DateTime ExpiresAt { get; set; }
    }

    private sealed class NamedLock(MySqlConnection connection, string name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("DO RELEASE_LOCK(@Name)", new { Name = name });
            }
            finally
            {
                // Closing the session releases the lock in any case.
                await connection.DisposeAsync();
            }
        }
    }
}
