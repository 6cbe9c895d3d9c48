using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MpesaAspire.TransactionService.Tests.Api;

/// <summary>The real service (its Program, DI and gRPC pipeline) in memory, against the given database.</summary>
internal sealed class TransactionServiceFactory(string? connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    /// <summary>The internal credential this instance requires, as the AppHost would hand it over.</summary>
    public const string InternalApiToken = "transaction-service-test-token";

    /// <summary>A channel whose calls carry the internal credential, as the other services' calls do.</summary>
    public GrpcChannel CreateChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = new BearerHandler(Server.CreateHandler()) });

    /// <summary>A channel whose calls carry no credential, as a stranger's would.</summary>
    public GrpcChannel CreateAnonymousChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:mpesadb", connectionString ?? "");
        builder.UseSetting("InternalApi:Token", InternalApiToken);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    private sealed class BearerHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("authorization", "Bearer " + InternalApiToken);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
