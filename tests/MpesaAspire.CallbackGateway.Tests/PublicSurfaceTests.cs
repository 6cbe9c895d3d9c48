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

        Assert.All(routes, route => Assert.True(
            route is "/" or "/health" or "/alive" or "/mpesa/callback" or "/openapi/{documentName}.json",
            $"Unexpected public route {route}"));
    }
}
