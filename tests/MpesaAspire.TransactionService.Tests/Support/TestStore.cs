using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using MpesaAspire.TransactionService.Data;
using MpesaAspire.TransactionService.Data.Migrations;
using MpesaAspire.TransactionService.Extensions;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Tests.Support;

/// <summary>
/// The transaction store of the service, wired by its own <c>AddTransactionStore()</c> against one test
/// database, with a fake clock. The host is built but not started: tests drive the parts directly.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly IHost _host;

    private TestStore(IHost host, string connectionString, string database, FakeTimeProvider time)
    {
        _host = host;
        ConnectionString = connectionString;
        Database = database;
        Time = time;
    }

    public string ConnectionString { get; }

    public string Database { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _host.Services;

    public MySqlDataSource DataSource => Services.GetRequiredService<MySqlDataSource>();

    public DatabaseMigrator Migrator => Services.GetRequiredService<DatabaseMigrator>();

    public StkCallbackRecorder Recorder => Services.GetRequiredService<StkCallbackRecorder>();

    public TransactionRepository Transactions => Services.GetRequiredService<TransactionRepository>();

    public UserRepository Users => Services.GetRequiredService<UserRepository>();

    public NotificationOutbox Outbox => Services.GetRequiredService<NotificationOutbox>();

    public DatabaseProbe Probe => Services.GetRequiredService<DatabaseProbe>();

    public static TestStore Create(string connectionString, string database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration["ConnectionStrings:mpesadb"] = connectionString;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.Configuration[key] = value;
        }

        var time = new FakeTimeProvider(Start);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddLogging();
        builder.Services.AddMetrics();
        builder.AddTransactionStore();
        return new TestStore(builder.Build(), connectionString, database, time);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task<int> ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteAsync(sql, parameters);
    }

    /// <summary>The kinds of notification queued for one payment, in alphabetical order.</summary>
    public Task<IReadOnlyList<string>> QueuedKindsAsync(string checkoutRequestId) => QueryAsync<string>(
        """
        SELECT o.kind FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id
        WHERE t.checkout_request_id = @checkoutRequestId ORDER BY CAST(o.kind AS CHAR)
        """,
        new { checkoutRequestId });

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}
