using Microsoft.Extensions.DependencyInjection.Extensions;
using MpesaAspire.CallbackGateway.Diagnostics;

namespace MpesaAspire.CallbackGateway.Extensions;

/// <summary>Registers everything the callback gateway runs on.</summary>
public static class ApplicationServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gRPC clients, the callback intake (which nudges the notification service after
    /// recording), the API document, problem details for every error, metrics and the
    /// <c>mpesa_callbacks.log</c> file.
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
        builder.Services.AddApiDocs();

        return builder;
    }
}
