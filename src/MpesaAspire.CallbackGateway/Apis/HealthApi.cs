using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Health;

namespace MpesaAspire.CallbackGateway.Apis;

/// <summary><c>GET /health</c>: the product's health document.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealthAsync)
            .WithName("GetHealth")
            .WithTags("Service")
            .WithSummary("Server and dependency health")
            .WithDescription(
                "Checks the database (through the transaction service) and the Telegram bot (through the notification "
                + "service) in parallel, at most once per Health:CacheDuration. 200 while the database answers, whatever "
                + "Telegram's state; 503 when it does not. Never carries error text; shows which callback protections are on.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    /// <summary>Reports whether the callback server can record payments and notify.</summary>
    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealthAsync(
        HealthCache cache, DependencyHealthProbe probe, IOptions<CallbackSecurityOptions> security, CancellationToken cancellationToken)
    {
        var health = await cache.GetAsync(probe, cancellationToken) with { Protection = Protection(security.Value) };
        return health.Database == "connected"
            ? TypedResults.Ok(health)
            : TypedResults.Json(health, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static HealthProtection Protection(CallbackSecurityOptions security) => new(
        security.HasCallbackToken ? "on" : "off",
        security.Mode.ToString().ToLowerInvariant());
}
