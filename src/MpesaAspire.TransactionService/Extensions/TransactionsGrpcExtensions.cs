using MpesaAspire.ServiceDefaults.InternalApi;
using MpesaAspire.TransactionService.Grpc;

namespace MpesaAspire.TransactionService.Extensions;

/// <summary>Registers and maps the <c>Transactions</c> gRPC service and the standard gRPC health service.</summary>
public static class TransactionsGrpcExtensions
{
    public static IHostApplicationBuilder AddTransactionsGrpc(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TransactionStoreInterceptor>();
        builder.Services.AddGrpc(options =>
            {
                options.EnableDetailedErrors = builder.Environment.IsDevelopment();
                // First, so an unauthenticated caller learns nothing, not even whether the schema is migrated.
                options.Interceptors.Add<InternalApiServerInterceptor>();
            })
            .AddServiceOptions<TransactionsGrpcService>(options => options.Interceptors.Add<TransactionStoreInterceptor>());
        // grpc.health.v1 reports every health check, the migration check included.
        builder.Services.AddGrpcHealthChecks();
        return builder;
    }

    public static WebApplication MapTransactionsGrpc(this WebApplication app)
    {
        app.MapGrpcService<TransactionsGrpcService>();
        app.MapGrpcHealthChecksService();
        return app;
    }
}
