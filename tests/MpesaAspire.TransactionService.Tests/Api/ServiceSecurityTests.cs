using Grpc.Core;
using MpesaAspire.Transactions.V1;
using MpesaAspire.TransactionService.Tests.Support;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Tests.Api;

[Collection(MariaDbCollection.Name)]
public sealed class ServiceSecurityTests(MariaDbFixture fixture)
{
    [Fact]
    public async Task ACallWithoutTheInternalCredentialIsRefusedUnauthenticatedAndTellsNothingAboutTheData()
    {
        var store = await fixture.StoreForClassAsync(typeof(ServiceSecurityTests));
        using var factory = new TransactionServiceFactory(store.ConnectionString);
        await ServiceHealth.WaitUntilHealthyAsync(factory.CreateClient());
        var stranger = new TransactionsClient(factory.CreateAnonymousChannel().CreateCallInvoker());

        var listing = await Assert.ThrowsAsync<RpcException>(() => stranger.ListTransactionsAsync(new ListTransactionsRequest()));
        var takeover = await Assert.ThrowsAsync<RpcException>(() => stranger.RegisterUserAsync(new RegisterUserRequest
        {
            TelegramChatId = 42, PhoneNumber = "254708374149", FirstName = "Mallory",
        }));

        Assert.Equal(StatusCode.Unauthenticated, listing.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, takeover.StatusCode);
    }

    [Fact]
    public async Task ACallWithTheInternalCredentialIsServed()
    {
        var store = await fixture.StoreForClassAsync(typeof(ServiceSecurityTests));
        using var factory = new TransactionServiceFactory(store.ConnectionString);
        await ServiceHealth.WaitUntilHealthyAsync(factory.CreateClient());
        var client = new TransactionsClient(factory.CreateChannel().CreateCallInvoker());

        var listing = await client.ListTransactionsAsync(new ListTransactionsRequest());

        Assert.NotNull(listing);
    }

    [Fact]
    public async Task TheStandardGrpcHealthServiceAnswersWithoutTheCredential()
    {
        var store = await fixture.StoreForClassAsync(typeof(ServiceSecurityTests));
        using var factory = new TransactionServiceFactory(store.ConnectionString);
        await ServiceHealth.WaitUntilHealthyAsync(factory.CreateClient());
        var probe = new global::Grpc.Health.V1.Health.HealthClient(factory.CreateAnonymousChannel());

        var health = await probe.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest());

        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task AWrongDatabasePasswordIsReportedAsUnavailableWithoutTheServersErrorText()
    {
        var wrongPassword = new MySqlConnectionStringBuilder(fixture.Server.ConnectionString("mpesadb"))
        {
            Password = "not-the-password",
            ConnectionTimeout = 5,
        };
        using var factory = new TransactionServiceFactory(wrongPassword.ConnectionString);
        var client = new TransactionsClient(factory.CreateChannel().CreateCallInvoker());

        var check = await client.CheckDatabaseAsync();

        Assert.False(check.Connected);
        Assert.Equal("unavailable", check.Detail);
        Assert.DoesNotContain("denied", check.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(MpesaAspire.TestSupport.MariaDbServer.UserName, check.Detail, StringComparison.Ordinal);
    }
}
