using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The wiring every MpesaAspire service shares: OpenTelemetry (logs, metrics, traces over OTLP),
/// health checks, service discovery, resilience for ordinary HTTP clients, and the internal
/// credential that every gRPC call between the services carries.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Tag on health checks that say whether the service is alive (not whether its dependencies are).</summary>
    public const string LiveTag = "live";

    /// <summary>The tracing source and meter name MySqlConnector emits under.</summary>
    public const string MySqlConnectorTelemetryName = "MySqlConnector";

    /// <summary>The source and meter every MpesaAspire service emits its own spans and metrics under.</summary>
    public const string MpesaTelemetryName = "MpesaAspire";

    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddInternalApiAuthentication();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());

        return builder;
    }

    /// <summary>
    /// Adds the standard resilience handler to one named HTTP client. It is not applied to every
    /// client: gRPC channels and the Telegram bot pace and retry by their own rules.
    /// </summary>
    public static IHttpClientBuilder AddStandardResilience(this IHttpClientBuilder builder)
    {
        builder.AddStandardResilienceHandler();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MySqlConnectorTelemetryName)
                .AddMeter(MpesaTelemetryName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(MpesaTelemetryName)
                .AddSource(MySqlConnectorTelemetryName)
                .AddAspNetCoreInstrumentation(options =>
                    // Probes from the orchestrator would drown the callback traces.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath)
                        && !context.Request.Path.StartsWithSegments("/grpc.health.v1.Health"))
                // One client span per gRPC call: the gRPC instrumentation, not a second HTTP span.
                .AddGrpcClientInstrumentation(options => options.SuppressDownstreamInstrumentation = true)
                .AddHttpClientInstrumentation());

        var useOtlpExporter = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (useOtlpExporter)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check) and <c>/alive</c> (liveness only). Services whose public
    /// <c>/health</c> has its own shape pass <paramref name="mapHealth"/> = false and map it themselves.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool mapHealth = true)
    {
        if (mapHealth)
        {
            app.MapHealthChecks(HealthEndpointPath);
        }

        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
        });

        return app;
    }
}
