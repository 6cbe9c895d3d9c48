using Microsoft.Extensions.Options;
using NotificationsClient = MpesaAspire.Notifications.V1.Notifications.NotificationsClient;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.CallbackGateway.Extensions;

/// <summary>Registers the gRPC clients of the transaction and notification services.</summary>
public static class GrpcClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds both clients at the addresses of <c>Services:TransactionService</c> and
    /// <c>Services:NotificationService</c>. Service discovery comes with every HTTP client from the
    /// service defaults; the standard resilience handler is deliberately not added: gRPC calls carry
    /// their own deadlines and the callers decide what a failure means. Every call carries the
    /// internal credential (<c>InternalApi:Token</c>).
    /// </summary>
    public static IServiceCollection AddServiceClients(this IServiceCollection services)
    {
        services.AddOptions<ServicesOptions>()
            .BindConfiguration(ServicesOptions.SectionName)
            .Validate(o => ServicesOptions.IsGrpcAddress(o.TransactionService),
                "Services:TransactionService must be an absolute http(s) URI, e.g. http://_grpc.transaction-service.")
            .Validate(o => ServicesOptions.IsGrpcAddress(o.NotificationService),
                "Services:NotificationService must be an absolute http(s) URI, e.g. http://_grpc.notification-service.")
            .ValidateOnStart();

        services.AddGrpcClient<TransactionsClient>((provider, client) =>
            client.Address = provider.GetRequiredService<IOptions<ServicesOptions>>().Value.TransactionService)
            .AddInternalApiCredential();

        services.AddGrpcClient<NotificationsClient>((provider, client) =>
            client.Address = provider.GetRequiredService<IOptions<ServicesOptions>>().Value.NotificationService)
            .AddInternalApiCredential();

        return services;
    }
}
