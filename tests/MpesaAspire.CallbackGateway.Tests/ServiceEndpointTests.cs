using System.Globalization;
using System.Net;
using System.Text.Json;

namespace MpesaAspire.CallbackGateway.Tests;

public sealed class ServiceEndpointTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task TheWelcomeEndpointAnswersExactlyTheProductDocument()
    {
        using var response = await _client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            """{"service":"M-Pesa Callback Server","version":"1.0.0","status":"running","endpoints":{"callback":"/mpesa/callback","health":"/health","docs":"/docs"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthIsDegradedWhenTheDatabaseCannotBeReachedSinceCallbacksAreStillKept()
    {
        using var response = await _client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var health = document.RootElement;
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal("mpesa-callback-server", health.GetProperty("service").GetString());
        Assert.Equal("disconnected", health.GetProperty("database").GetString());
        Assert.Equal("database disconnected", health.GetProperty("reason").GetString());
        Assert.StartsWith("error: ", health.GetProperty("telegram").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            gateway.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            health.GetProperty("timestamp").GetString());
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheThreeEndpoints()
    {
        using var response = await _client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.GetProperty("/").TryGetProperty("get", out _));
        Assert.Equal(["200", "503"], paths.GetProperty("/health").GetProperty("get").GetProperty("responses").EnumerateObject().Select(p => p.Name).Order());

        var callback = paths.GetProperty("/mpesa/callback").GetProperty("post");
        Assert.Equal(
            ["200", "400", "403", "413", "429", "503"],
            callback.GetProperty("responses").EnumerateObject().Select(p => p.Name).Order());

        var body = callback.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var stkCallback = Resolve(document.RootElement, body).GetProperty("properties").GetProperty("Body");
        stkCallback = Resolve(document.RootElement, stkCallback).GetProperty("properties").GetProperty("stkCallback");
        var fields = Resolve(document.RootElement, stkCallback);
        Assert.Equal(["CheckoutRequestID", "ResultCode"], fields.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.True(fields.GetProperty("properties").TryGetProperty("CallbackMetadata", out _));
    }

    [Theory]
    [InlineData("/docs/index.html", "swagger-ui")]
    [InlineData("/redoc/index.html", "redoc")]
    public async Task TheDocumentationPagesServeTheOpenApiDocument(string page, string marker)
    {
        using var response = await _client.GetAsync(page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(marker, html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheSwaggerUiPointsAtTheOpenApiDocument()
    {
        using var response = await _client.GetAsync("/docs/index.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/openapi/v1.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownPathIsAnswered404WithProblemDetails()
    {
        using var response = await _client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        var name = reference.GetString()!["#/components/schemas/".Length..];
        return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }
}
