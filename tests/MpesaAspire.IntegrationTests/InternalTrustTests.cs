using System.Net;
using Grpc.Core;
using MpesaAspire.Notifications.V1;
using MpesaAspire.Transactions.V1;
using MySqlConnector;

namespace MpesaAspire.IntegrationTests;

/// <summary>
/// The services trust only each other: every gRPC call needs the internal credential, the health
/// probes stay open to the orchestrator, and the database account reaches its own database only.
/// </summary>
[Collection(MpesaSystemCollection.Name)]
public sealed class InternalTrustTests(MpesaSystemFixture system)
{
    [Theory]
    [InlineData(null)]
    [InlineData("a-token-somebody-guessed-1234567890")]
    public async Task TheReconcileNowEndpointRefusesCallersWithoutTheInternalCredential(string? token)
    {
        using var http = system.App.CreateHttpClient("transaction-service", "http");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/reconciliation/run");
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a-token-somebody-guessed-1234567890")]
    public async Task TheTransactionServiceRefusesCallersWithoutTheInternalCredential(string token)
    {
        var stranger = system.TransactionsClient(token);

        var listing = await Assert.ThrowsAsync<RpcException>(() => stranger.ListTransactionsAsync(new ListTransactionsRequest()).ResponseAsync);
        var takeover = await Assert.ThrowsAsync<RpcException>(() => stranger.RegisterUserAsync(new RegisterUserRequest
        {
            TelegramChatId = 900_000_001, PhoneNumber = "254708374149", FirstName = "Mallory",
        }).ResponseAsync);
        var forged = await Assert.ThrowsAsync<RpcException>(() => stranger.RecordStkCallbackAsync(new RecordStkCallbackRequest
        {
            CheckoutRequestId = "ws_CO_forged_over_grpc", RawPayload = "{}", ResultCode = "0",
        }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, listing.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, takeover.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, forged.StatusCode);
        Assert.Equal(0L, await system.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE telegram_chat_id = 900000001"));
        Assert.Null(await system.TransactionRowAsync("ws_CO_forged_over_grpc"));
    }

    [Fact]
    public async Task TheTransactionServiceServesCallersWithTheInternalCredential()
    {
        var listing = await system.TransactionsClient().ListTransactionsAsync(new ListTransactionsRequest { PageSize = 1 });

        Assert.NotNull(listing);
    }

    [Fact]
    public async Task TheNotificationServiceRefusesCallersWithoutTheInternalCredential()
    {
        var stranger = new Notifications.V1.Notifications.NotificationsClient(system.GrpcCallInvoker("notification-service", token: ""));

        var nudge = await Assert.ThrowsAsync<RpcException>(() => stranger.DeliverNowAsync(new DeliverNowRequest { NotificationIds = { 987_654_321 } }).ResponseAsync);
        var status = await Assert.ThrowsAsync<RpcException>(() => stranger.GetBotStatusAsync(new GetBotStatusRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, nudge.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, status.StatusCode);
    }

    [Fact]
    public async Task TheNotificationServiceAnswersCallersWithTheInternalCredential()
    {
        var client = new Notifications.V1.Notifications.NotificationsClient(system.GrpcCallInvoker("notification-service"));

        var status = await client.GetBotStatusAsync(new GetBotStatusRequest());

        Assert.Equal("connected as @mpesa_test_bot", status.Status);
    }

    [Theory]
    [InlineData("transaction-service")]
    [InlineData("notification-service")]
    public async Task TheServicesHealthEndpointsStayOpenToTheOrchestrator(string resourceName)
    {
        using var http = system.App.CreateHttpClient(resourceName, "http");

        using var response = await http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheApplicationsDatabaseAccountCannotCreateOrReachAnotherDatabase()
    {
        await using var connection = await system.OpenDatabaseAsync();
        await using var create = connection.CreateCommand();
        create.CommandText = "CREATE DATABASE mpesa_other_" + Guid.NewGuid().ToString("N")[..8];
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT COUNT(*) FROM mysql.user";

        var creating = await Assert.ThrowsAsync<MySqlException>(() => create.ExecuteNonQueryAsync());
        var reading = await Assert.ThrowsAsync<MySqlException>(() => read.ExecuteScalarAsync());

        Assert.Contains("denied", creating.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("denied", reading.Message, StringComparison.OrdinalIgnoreCase);
    }
}
