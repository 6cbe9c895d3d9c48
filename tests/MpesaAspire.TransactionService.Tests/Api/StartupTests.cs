using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.Options;
using MpesaAspire.Transactions.V1;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Api;

[Collection(MariaDbCollection.Name)]
public sealed class StartupTests(MariaDbFixture fixture)
{
    [Fact]
    public void WithoutAConnectionStringTheServiceRefusesToStartAndSaysWhichSettingIsMissing()
    {
        using var factory = new TransactionServiceFactory(connectionString: null);

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("ConnectionStrings:mpesadb is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UntilTheDatabaseExistsTheServiceIsUnhealthyAndRefusesCallsThenItMigratesAndServes()
    {
        var database = "late_" + Guid.NewGuid().ToString("N")[..12];
        using var factory = new TransactionServiceFactory(fixture.Server.ConnectionString(database));
        var http = factory.CreateClient();
        var client = new TransactionsClient(factory.CreateChannel().CreateCallInvoker());

        var early = await http.GetAsync(new Uri("/health", UriKind.Relative));
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.GetTransactionAsync(new GetTransactionRequest { CheckoutRequestId = "ws_CO_1" }));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains("not ready", refused.Status.Detail, StringComparison.Ordinal);

        // The database appears (as when MySQL finishes starting after the service): the retries pick it up.
        await fixture.Server.CreateDatabaseNamedAsync(database);
        await ServiceHealth.WaitUntilHealthyAsync(http);
        var notFound = await Assert.ThrowsAsync<RpcException>(() => client.GetTransactionAsync(new GetTransactionRequest { CheckoutRequestId = "ws_CO_1" }));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
    }

    [Fact]
    public async Task WhenMySqlIsUnreachableCallbacksFailSoTheGatewayDoesNotAcknowledgeThem()
    {
        using var factory = new TransactionServiceFactory(
            $"Server=127.0.0.1;Port={ClosedPort()};User ID=nobody;Password=x;Database=mpesadb;Connection Timeout=2");
        var client = new TransactionsClient(factory.CreateChannel().CreateCallInvoker());

        var check = await client.CheckDatabaseAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.RecordStkCallbackAsync(new RecordStkCallbackRequest
        {
            CheckoutRequestId = "ws_CO_unreachable", RawPayload = "{}", ResultCode = "0",
        }));

        Assert.False(check.Connected);
        Assert.NotEmpty(check.Detail);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
