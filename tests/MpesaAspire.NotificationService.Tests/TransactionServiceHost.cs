extern alias TransactionService;

using System.Net;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MpesaAspire.TestSupport;
using MpesaAspire.Transactions.V1;
using TransactionService::MpesaAspire.TransactionService.Extensions;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>
/// The real transaction service (its own registration, migrations and gRPC service) on a throw-away
/// MariaDB, listening for h2c on 127.0.0.1 as in the system: the outbox the notification service delivers.
/// </summary>
internal sealed class TransactionServiceHost : IAsyncDisposable
{
    /// <summary>The internal credential the service requires on every call, as the AppHost's <c>internal-api-token</c>.</summary>
    public const string InternalApiToken = "notification-tests-internal-token";

    private readonly MariaDbServer _database;
    private readonly WebApplication _app;

    private TransactionServiceHost(MariaDbServer database, WebApplication app, Uri address)
    {
        _database = database;
        _app = app;
        Address = address;
        Client = new TransactionsClient(GrpcChannel.ForAddress(address).Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {InternalApiToken}");
            return metadata;
        }));
    }

    /// <summary>The gRPC address (h2c), the value for <c>Delivery:TransactionService</c>.</summary>
    public Uri Address { get; }

    /// <summary>The transaction service's contract, as a caller uses it.</summary>
    public TransactionsClient Client { get; }

    public static async Task<TransactionServiceHost> StartAsync()
    {
        var database = await MariaDbServer.StartAsync();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Configuration["ConnectionStrings:mpesadb"] = database.ConnectionString(await database.CreateDatabaseAsync("outbox"));
        builder.Configuration["InternalApi:Token"] = InternalApiToken;
        builder.Services.AddInternalApiAuthentication();
        builder.Services.AddRouting();
        builder.Services.AddLogging();
        builder.Services.AddMetrics();
        builder.AddTransactionStore();
        builder.AddTransactionsGrpc();
        builder.AddDaraja(); // not configured here: payments are not started, only the outbox is used

        var app = builder.Build();
        app.MapTransactionsGrpc();
        await app.StartAsync();

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var host = new TransactionServiceHost(database, app, address);
        await host.WaitUntilMigratedAsync();
        return host;
    }

    /// <summary>Records a successful payment's callback, as the gateway does.</summary>
    public async Task<RecordStkCallbackResponse> RecordSuccessAsync(string checkoutRequestId, long phone, decimal amount) =>
        await Client.RecordStkCallbackAsync(new RecordStkCallbackRequest
        {
            RawPayload = "{\"test\":true}",
            MerchantRequestId = "29115-34620561-1",
            CheckoutRequestId = checkoutRequestId,
            ResultCode = "0",
            ResultDesc = "The service request is processed successfully.",
            Amount = amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            MpesaReceiptNumber = "NLJ7RT61SV",
            TransactionDate = "20240115103015",
            PhoneNumber = phone.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    /// <summary>The outbox status of a checkout's notification of one kind, as the operator's listing shows it.</summary>
    public async Task<NotificationStatus?> StatusAsync(string checkoutRequestId, NotificationKind kind)
    {
        foreach (var status in Enum.GetValues<NotificationStatus>().Where(s => s != NotificationStatus.Unspecified))
        {
            var listed = await Client.ListNotificationsAsync(new ListNotificationsRequest { Status = status, Limit = 200 });
            if (listed.Notifications.Any(n => n.CheckoutRequestId == checkoutRequestId && n.Kind == kind))
            {
                return status;
            }
        }

        return null;
    }

    /// <summary>Waits until the notification reaches <paramref name="status"/>.</summary>
    public async Task WaitForStatusAsync(string checkoutRequestId, NotificationKind kind, NotificationStatus status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await StatusAsync(checkoutRequestId, kind) != status)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task WaitUntilMigratedAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                await Client.ListNotificationsAsync(new ListNotificationsRequest { Status = NotificationStatus.Pending, Limit = 1 });
                return;
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.Unavailable)
            {
                // Still applying migrations; anything else is a broken host and fails the test at once.
                await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
            }
        }
    }
}
