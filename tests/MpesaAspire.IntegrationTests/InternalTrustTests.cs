using System.Net;
using Grpc.Core;
using MpesaAspire.Notifications.V1;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.IntegrationTests;

/// <summary>
/// The services trust only each other: every gRPC call needs the internal credential, and the health
/// probes stay open to the orchestrator.
/// </summary>
[Collection(MpesaSystemCollection.Name)]
public sealed class InternalTrustTests(MpesaSystemFixture system)
{
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
    public async Task TheNotificationServiceSendsNothingForACallerWithoutTheInternalCredential()
    {
        var stranger = new Notifications.V1.Notifications.NotificationsClient(system.GrpcCallInvoker("notification-service", token: ""));

        var refused = await Assert.ThrowsAsync<RpcException>(() => stranger.SendPaymentNotificationAsync(new SendPaymentNotificationRequest
        {
            NotificationId = 987_654_321,
            Kind = MessageKind.AdminFailure,
            CheckoutRequestId = "ws_CO_spam",
            Amount = "1",
            PhoneNumber = "254708374149",
            Reason = "Click http://phishing.example now",
            Date = "2024-01-15 10:30:15",
        }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.DoesNotContain(system.Telegram.Messages, m => m.Text.Contains("phishing", StringComparison.Ordinal));
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
}
