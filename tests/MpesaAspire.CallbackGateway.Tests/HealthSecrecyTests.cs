using System.Net;
using System.Text.Json;

namespace MpesaAspire.CallbackGateway.Tests;

/// <summary>The public /health tells whether payments can be recorded, never why not (that is in the logs).</summary>
public sealed class HealthSecrecyTests
{
    private const string CallbackToken = "Zq3-secret_callback.token~2024";

    [Fact]
    public async Task HealthShowsNoDatabaseErrorTextAndWhichProtectionsAreOn()
    {
        using var gateway = Gateway(new()
        {
            ["CallbackSecurity:CallbackToken"] = CallbackToken,
            ["CallbackSecurity:Mode"] = "enforce",
        });
        gateway.Transactions!.DatabaseAnswer = new() { Connected = false, Detail = "Access denied for user 'mpesa'@'localhost' (using password: YES)" };
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/health");
        var text = await response.Content.ReadAsStringAsync();
        var health = JsonDocument.Parse(text).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("disconnected", health.GetProperty("database").GetString());
        Assert.Equal("on", health.GetProperty("protection").GetProperty("callbackToken").GetString());
        Assert.Equal("enforce", health.GetProperty("protection").GetProperty("sourceAllowList").GetString());
        Assert.DoesNotContain("denied", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("mpesa'@", text, StringComparison.Ordinal);
        Assert.DoesNotContain(CallbackToken, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthReusesOneAnswerForAFewSeconds()
    {
        using var gateway = Gateway([]);
        using var client = gateway.CreateClient();

        using var first = await client.GetAsync("/health");
        gateway.Transactions!.DatabaseAnswer = new() { Connected = false, Detail = "unavailable" };
        using var soonAfter = await client.GetAsync("/health");
        gateway.Clock.Advance(TimeSpan.FromSeconds(6));
        using var later = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, soonAfter.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, later.StatusCode);
    }

    private static GatewayFactory Gateway(Dictionary<string, string?> settings) =>
        new() { Settings = settings, Transactions = new FakeTransactionService() };
}
