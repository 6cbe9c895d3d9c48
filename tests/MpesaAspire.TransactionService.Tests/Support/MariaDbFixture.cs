using System.Collections.Concurrent;
using MpesaAspire.TestSupport;

namespace MpesaAspire.TransactionService.Tests.Support;

/// <summary>One real MariaDB server for the whole test run; databases are handed out per test class (or per test).</summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<Type, Lazy<Task<TestStore>>> _classStores = new();
    private readonly ConcurrentBag<TestStore> _stores = [];
    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException("The MariaDB server has not started.");

    public async Task InitializeAsync() => _server = await MariaDbServer.StartAsync();

    /// <summary>The migrated store of one test class: created on first use, shared by the tests of that class.</summary>
    public Task<TestStore> StoreForClassAsync(Type testClass) =>
        _classStores.GetOrAdd(testClass, _ => new Lazy<Task<TestStore>>(() => CreateStoreAsync())).Value;

    /// <summary>A fresh, migrated database of its own (for tests that look at the whole outbox).</summary>
    public async Task<TestStore> CreateStoreAsync(bool migrate = true, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await Server.CreateDatabaseAsync("tx");
        var store = TestStore.Create(Server.ConnectionString(database), database, settings);
        _stores.Add(store);
        if (migrate)
        {
            await store.Migrator.MigrateAsync(CancellationToken.None);
        }

        return store;
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
