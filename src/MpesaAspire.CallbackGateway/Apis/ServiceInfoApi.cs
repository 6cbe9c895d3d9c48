using Microsoft.AspNetCore.Http.HttpResults;

namespace MpesaAspire.CallbackGateway.Apis;

/// <summary><c>GET /</c>: what this server is and where its endpoints are.</summary>
public static class ServiceInfoApi
{
    private static readonly ServiceInfoResponse Info = new(
        "M-Pesa Callback Server",
        "1.0.0",
        "running",
        new ServiceEndpoints(Callback: "/mpesa/callback", Health: "/health", Docs: "/docs"));

    public static IEndpointRouteBuilder MapServiceInfoApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", GetServiceInfo)
            .WithName("GetServiceInfo")
            .WithTags("Service")
            .WithSummary("API information and available endpoints");

        return app;
    }

    /// <summary>Returns API information and the available endpoints.</summary>
    public static Ok<ServiceInfoResponse> GetServiceInfo() => TypedResults.Ok(Info);
}
