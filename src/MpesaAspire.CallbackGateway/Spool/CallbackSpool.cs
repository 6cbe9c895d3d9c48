using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace MpesaAspire.CallbackGateway.Spool;

/// <summary>
/// The gateway's own durable store for callbacks the transaction service could not record in
/// time, and for refused payloads the operator should see. A SQLite file in WAL mode with
/// <c>synchronous=FULL</c>: a row is on disk (fsync'd) before the gateway acknowledges the callback.
/// </summary>
/// <remarks>
/// The file is created on first use, not at start-up: the gateway starts and answers even when
/// its disk is not writable, and then answers 503 as before for what it cannot keep.
/// </remarks>
public sealed partial class CallbackSpool : IDisposable
{
    private const string Waiting = "waiting";
    private const string Rejected = "rejected";

    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CallbackSpool> _logger;
    private readonly SemaphoreSlim _creation = new(1, 1);
    private volatile bool _created;
    private long _waiting;
    private long _lastKeepFailureTicks;

    public CallbackSpool(IOptions<SpoolOptions> options, IHostEnvironment environment, TimeProvider timeProvider, ILogger<CallbackSpool> logger)
    {
        FilePath = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.Path));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 10,
        }.ToString();
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The spool file's full path.</summary>
    public string FilePath { get; }

    /// <summary>Callbacks waiting for replay, as last counted (for the depth gauge).</summary>
    public long WaitingCount => Interlocked.Read(ref _waiting);

    /// <summary>Keeps a callback that could not be recorded, for the replayer. Throws when it cannot be kept.</summary>
    /// <returns>The spool row's id.</returns>
    public async Task<long> KeepAsync(
        string rawPayload, string checkoutRequestId, DateTimeOffset receivedAt, string? traceParent, CancellationToken cancellationToken)
    {
        try
        {
            var id = await InsertAsync(Waiting, rawPayload, checkoutRequestId, receivedAt, traceParent, reason: null, cancellationToken);
            Interlocked.Increment(ref _waiting);
            return id;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Interlocked.Exchange(ref _lastKeepFailureTicks, _timeProvider.GetUtcNow().UtcTicks);
            throw;
        }
    }

    /// <summary>Keeps a refused payload with the reason, for the operator; it is never replayed.</summary>
    public Task<long> KeepRejectedAsync(
        string rawPayload, string? checkoutRequestId, DateTimeOffset receivedAt, string? traceParent, string reason, CancellationToken cancellationToken) =>
        InsertAsync(Rejected, rawPayload, checkoutRequestId, receivedAt, traceParent, reason, cancellationToken);

    /// <summary>The oldest waiting callbacks, oldest first.</summary>
    public async Task<IReadOnlyList<KeptCallback>> TakeWaitingAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, checkout_request_id, raw_payload, received_at, trace_parent, attempts
            FROM kept_callbacks
            WHERE state = 'waiting'
            ORDER BY id
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", limit);

        var kept = new List<KeptCallback>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            kept.Add(new KeptCallback(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt32(5)));
        }

        return kept;
    }

    /// <summary>Deletes a waiting callback once the transaction service has recorded it.</summary>
    public async Task DeleteRecordedAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM kept_callbacks WHERE id = $id AND state = 'waiting'";
        command.Parameters.AddWithValue("$id", id);
        if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>Marks a waiting callback rejected with the reason: it stays for the operator and is not retried.</summary>
    public async Task MarkRejectedAsync(long id, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE kept_callbacks SET state = 'rejected', reason = $reason, attempts = attempts + 1
            WHERE id = $id AND state = 'waiting'
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$reason", reason);
        if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>Counts a failed replay attempt and why, for the operator.</summary>
    public async Task RecordFailedAttemptAsync(long id, string error, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE kept_callbacks SET attempts = attempts + 1, last_error = $error WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$error", error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Counts what the spool holds; also refreshes the depth gauge.</summary>
    public async Task<SpoolStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT
              (SELECT COUNT(*) FROM kept_callbacks WHERE state = 'waiting'),
              (SELECT MIN(received_at) FROM kept_callbacks WHERE state = 'waiting'),
              (SELECT COUNT(*) FROM kept_callbacks WHERE state = 'rejected')
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var waiting = reader.GetInt64(0);
        Interlocked.Exchange(ref _waiting, waiting);
        return new SpoolStatus(
            waiting,
            reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            reader.GetInt64(2),
            LastKeepFailure);
    }

    /// <summary>The last time a callback could be neither recorded nor kept; null when never.</summary>
    public DateTimeOffset? LastKeepFailure =>
        Interlocked.Read(ref _lastKeepFailureTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Deletes at most <paramref name="batchSize"/> kept callbacks received before <paramref name="cutoff"/>.</summary>
    /// <returns>How many were deleted.</returns>
    public async Task<int> PruneAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM kept_callbacks
            WHERE id IN (SELECT id FROM kept_callbacks WHERE received_at < $cutoff ORDER BY id LIMIT $batch)
            """;
        command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$batch", batchSize);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        if (deleted > 0)
        {
            await GetStatusAsync(cancellationToken);
        }

        return deleted;
    }

    /// <summary>Closes the pooled connections, so the file is left consistent and unlocked.</summary>
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _creation.Dispose();
    }

    private async Task<long> InsertAsync(
        string state, string rawPayload, string? checkoutRequestId, DateTimeOffset receivedAt, string? traceParent, string? reason,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO kept_callbacks (state, checkout_request_id, raw_payload, received_at, kept_at, trace_parent, reason)
            VALUES ($state, $checkout, $payload, $received, $kept, $trace, $reason)
            RETURNING id
            """;
        command.Parameters.AddWithValue("$state", state);
        command.Parameters.AddWithValue("$checkout", (object?)checkoutRequestId ?? DBNull.Value);
        command.Parameters.AddWithValue("$payload", rawPayload);
        command.Parameters.AddWithValue("$received", receivedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$kept", _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$trace", (object?)traceParent ?? DBNull.Value);
        command.Parameters.AddWithValue("$reason", (object?)reason ?? DBNull.Value);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await CreateAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // Per connection: every commit is fsync'd before it returns.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous = FULL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        await _creation.WaitAsync(cancellationToken);
        try
        {
            if (_created)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();

            // WAL is a property of the file: set once, it stays. The state column keeps what is
            // still to be recorded ('waiting') apart from refused payloads kept for the operator.
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS kept_callbacks (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  state TEXT NOT NULL CHECK (state IN ('waiting', 'rejected')),
                  checkout_request_id TEXT NULL,
                  raw_payload TEXT NOT NULL,
                  received_at INTEGER NOT NULL,
                  kept_at INTEGER NOT NULL,
                  trace_parent TEXT NULL,
                  attempts INTEGER NOT NULL DEFAULT 0,
                  reason TEXT NULL,
                  last_error TEXT NULL
                );
                CREATE INDEX IF NOT EXISTS ix_kept_callbacks_state ON kept_callbacks (state, id);
                CREATE INDEX IF NOT EXISTS ix_kept_callbacks_received ON kept_callbacks (received_at);
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);

            command.CommandText = "SELECT COUNT(*) FROM kept_callbacks WHERE state = 'waiting'";
            var waiting = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            Interlocked.Exchange(ref _waiting, waiting);
            _created = true;
            LogOpened(_logger, FilePath, waiting);
        }
        finally
        {
            _creation.Release();
        }
    }

    [LoggerMessage(EventId = 6230, Level = LogLevel.Information, Message = "Callback spool at {Path}: {Waiting} callbacks waiting to be recorded")]
    private static partial void LogOpened(ILogger logger, string path, long waiting);
}
