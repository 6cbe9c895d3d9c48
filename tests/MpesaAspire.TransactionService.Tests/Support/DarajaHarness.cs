using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using MpesaAspire.TestSupport;
using MpesaAspire.TransactionService.Daraja;
using MpesaAspire.TransactionService.Data;
using MpesaAspire.TransactionService.Data.Migrations;
using MpesaAspire.TransactionService.Extensions;
using MpesaAspire.TransactionService.Reconciliation;

namespace MpesaAspire.TransactionService.Tests.Support;

/// <summary>
/// One instance of the service's Daraja side (client, token, pushes, reconciler) wired by its own
/// <c>AddTransactionStore()</c> and <c>AddDaraja()</c> against a test database and a fake Daraja,
/// with a fake clock shared by both. Built, not started: tests drive the parts directly. Two
/// harnesses on one database behave like two replicas.
/// </summary>
public sealed class DarajaHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private DarajaHarness(IHost host, FakeTimeProvider time)
    {
        _host = host;
        Time = time;
    }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _host.Services;

    public DarajaClient Client => Services.GetRequiredService<DarajaClient>();

    public StkPushService Pushes => Services.GetRequiredService<StkPushService>();

    public PaymentReconciler Reconciler => Services.GetRequiredService<PaymentReconciler>();

    public TransactionRepository Transactions => Services.GetRequiredService<TransactionRepository>();

    public StkCallbackRecorder Recorder => Services.GetRequiredService<StkCallbackRecorder>();

    public static async Task<DarajaHarness> CreateAsync(
        string connectionString, FakeDarajaApi daraja, FakeTimeProvider time, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:mpesadb"] = connectionString,
            ["Daraja:BaseUrl"] = daraja.BaseUrl.ToString(),
            ["Daraja:ConsumerKey"] = FakeDarajaApi.DefaultConsumerKey,
            ["Daraja:ConsumerSecret"] = FakeDarajaApi.DefaultConsumerSecret,
            ["Daraja:Passkey"] = FakeDarajaApi.SandboxPasskey,
            ["Daraja:CallbackUrl"] = "http://127.0.0.1:9/payments/callback",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddLogging();
        builder.Services.AddMetrics();
        builder.AddTransactionStore();
        builder.AddDaraja();
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        host.Services.GetRequiredService<MigrationState>().Completed();
        return new DarajaHarness(host, time);
    }

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
