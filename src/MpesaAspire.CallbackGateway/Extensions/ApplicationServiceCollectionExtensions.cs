using Microsoft.Extensions.DependencyInjection.Extensions;
using MpesaAspire.CallbackGateway.Diagnostics;

namespace MpesaAspire.CallbackGateway.Extensions;

/// <summary>Registers everything the callback gateway runs on.</summary>
public static class ApplicationServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gRPC clients, the callback intake and its protections (the intake nudges the
    /// notification service after recording), the durable callback spool and its replayer, the API
    /// document, problem details for every error, metrics and the <c>mpesa_callbacks.log</c> file.
    /// </summary>
    public static TBuilder AddApplicationServices<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddCallbackLogFile();

        builder.Services.AddProblemDetails();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GatewayMetrics>();

        builder.Services.AddServiceClients();
        builder.Services.AddCallbackIntake();
        builder.Services.AddCallbackProtection();
        builder.Services.AddCallbackSpool();
        builder.Services.AddApiDocs();

        return builder;
    }
}
