using System.Net;

namespace MpesaAspire.IntegrationTests;

[Collection(MpesaSystemCollection.Name)]
public sealed class HealthTests(MpesaSystemFixture system)
{
    [Fact]
    public async Task HealthReportsTheDatabaseConnectedThroughTheTransactionServiceAndTheBotThroughTheNotificationService()
    {
        using var response = await system.Gateway.GetAsync("/health");
        var body = await MpesaSystemFixture.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("mpesa-callback-server", body.GetProperty("service").GetString());
        Assert.Equal("connected", body.GetProperty("database").GetString());
        Assert.Equal("connected as @mpesa_test_bot", body.GetProperty("telegram").GetString());
        // The fixture configures the fake Daraja, so successes are confirmed by STK Push Query by default.
        Assert.Equal("query", body.GetProperty("protection").GetProperty("paymentVerification").GetString());
        Assert.True(DateTime.TryParse(body.GetProperty("timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public async Task TheWelcomeEndpointDescribesTheService()
    {
        using var response = await system.Gateway.GetAsync("/");
        var body = await MpesaSystemFixture.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("M-Pesa Callback Server", body.GetProperty("service").GetString());
        Assert.Equal("1.0.0", body.GetProperty("version").GetString());
        Assert.Equal("running", body.GetProperty("status").GetString());
        var endpoints = body.GetProperty("endpoints");
        Assert.Equal("/mpesa/callback", endpoints.GetProperty("callback").GetString());
        Assert.Equal("/health", endpoints.GetProperty("health").GetString());
        Assert.Equal("/docs", endpoints.GetProperty("docs").GetString());
    }

    [Theory]
    [InlineData("/docs", "text/html")]
    [InlineData("/redoc", "text/html")]
    [InlineData("/openapi/v1.json", "application/json")]
    public async Task TheApiDocumentationIsServed(string path, string mediaType)
    {
        using var response = await system.Gateway.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheCallbackEndpoint()
    {
        using var response = await system.Gateway.GetAsync("/openapi/v1.json");
        var document = await MpesaSystemFixture.JsonAsync(response);

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/mpesa/callback", out var callback));
        Assert.True(callback.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/health", out _));
    }
}
