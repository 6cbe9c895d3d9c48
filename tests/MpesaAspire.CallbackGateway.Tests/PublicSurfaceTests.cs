using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MpesaAspire.CallbackGateway.Tests;

public sealed class PublicSurfaceTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public void ThePublicGatewayOffersNoRouteToUsersTransactionHistoryOrNotifications()
    {
        using var client = gateway.CreateClient();
        var routes = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(endpoint => endpoint.RoutePattern.RawText ?? "")
            .ToList();

        // /operator/spool/replay answers only the AppHost's per-run operator token (404 otherwise) and
        // only starts an idempotent replay of what the gateway itself kept: it reads nothing out.
        Assert.All(routes, route => Assert.True(
            route is "/" or "/health" or "/alive" or "/mpesa/callback" or "/openapi/{documentName}.json" or "/operator/spool/replay",
            $"Unexpected public route {route}"));
    }
}
