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
                + "service) in parallel, at most once per Health:CacheDuration, and counts the callbacks waiting in the "
                + "gateway's spool. 200 while callbacks can be made durable (status healthy, or degraded while callbacks wait "
                + "in the spool or the database cannot be reached), whatever Telegram's state; 503 (unhealthy) when the "
                + "gateway recently could not keep a callback at all or cannot use its spool. Never carries error text; "
                + "shows which callback protections are on and when a success counts as paid.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    /// <summary>Reports whether the callback server can record payments and notify.</summary>
    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealthAsync(
        HealthCache cache, DependencyHealthProbe probe, IOptions<CallbackSecurityOptions> security, CancellationToken cancellationToken)
    {
        var probed = await cache.GetAsync(probe, cancellationToken);
        var health = probed with { Protection = Protection(security.Value, probed.Verification) };
        return health.Status != DependencyHealthProbe.Unhealthy
            ? TypedResults.Ok(health)
            : TypedResults.Json(health, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static HealthProtection Protection(CallbackSecurityOptions security, string? verification) => new(
        security.HasCallbackToken ? "on" : "off",
        security.Mode.ToString().ToLowerInvariant(),
        verification);
}
