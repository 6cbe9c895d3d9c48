using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MpesaAspire.NotificationService.Delivery;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.NotificationService;

/// <summary>Registers the delivery of the outbox: options, the transaction service's client, the delivery loop.</summary>
public static class DeliveryServiceCollectionExtensions
{
    /// <summary>Adds the background delivery of the transaction service's outbox (section <c>Delivery</c>).</summary>
    public static IServiceCollection AddOutboxDelivery(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>()
            .BindConfiguration(DeliveryOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddTransactionServiceClient();
        services.AddSingleton<DeliveryWakeUp>();
        services.AddSingleton<OutboxCounts>();
        services.AddSingleton<UncertainReceiptAlerts>();
        services.AddSingleton<NotificationDeliverer>();
        services.AddSingleton<ActiveSender>();
        services.AddHostedService<OutboxDeliveryService>();
        return services;
    }

    /// <summary>
    /// The transaction service's gRPC client, in one place. Service discovery comes with every HTTP
    /// client from the service defaults; no resilience handler: calls carry their own deadlines and
    /// the delivery loop decides what a failure means.
    /// </summary>
    public static IServiceCollection AddTransactionServiceClient(this IServiceCollection services)
    {
        services.AddGrpcClient<TransactionsClient>((provider, client) =>
                client.Address = provider.GetRequiredService<IOptions<DeliveryOptions>>().Value.TransactionService)
            .AddInternalApiCredential();
        return services;
    }
}
