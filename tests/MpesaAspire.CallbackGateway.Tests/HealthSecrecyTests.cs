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
        gateway.Transactions.DatabaseAnswer = new() { Connected = false, Detail = "Access denied for user 'mpesa'@'localhost' (using password: YES)" };
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/health");
        var text = await response.Content.ReadAsStringAsync();
        var health = JsonDocument.Parse(text).RootElement;

        // Callbacks are still taken (kept in the spool) while the database is away: degraded, not down.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal("disconnected", health.GetProperty("database").GetString());
        Assert.Equal("on", health.GetProperty("protection").GetProperty("callbackToken").GetString());
        Assert.Equal("enforce", health.GetProperty("protection").GetProperty("sourceAllowList").GetString());
        Assert.False(health.GetProperty("protection").TryGetProperty("paymentVerification", out _));
        Assert.DoesNotContain("denied", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("mpesa'@", text, StringComparison.Ordinal);
        Assert.DoesNotContain(CallbackToken, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthShowsWhenASuccessCountsAsPaid()
    {
        using var gateway = Gateway([]);
        gateway.Transactions.DatabaseAnswer = new() { Connected = true, Detail = "10.11.6-MariaDB", Verification = "registered" };
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/health");
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var protection = health.GetProperty("protection");
        Assert.Equal("registered", protection.GetProperty("paymentVerification").GetString());
        Assert.Equal("off", protection.GetProperty("callbackToken").GetString());
        Assert.False(health.TryGetProperty("verification", out _));
    }

    [Fact]
    public async Task HealthReusesOneAnswerForAFewSeconds()
    {
        using var gateway = Gateway(new() { ["Health:CacheDuration"] = "00:00:05" });
        using var client = gateway.CreateClient();

        using var first = await client.GetAsync("/health");
        gateway.Transactions.DatabaseAnswer = new() { Connected = false, Detail = "unavailable" };
        using var soonAfter = await client.GetAsync("/health");
        gateway.Clock.Advance(TimeSpan.FromSeconds(6));
        using var later = await client.GetAsync("/health");

        Assert.Equal("connected", await DatabaseAsync(first));
        Assert.Equal("connected", await DatabaseAsync(soonAfter));
        Assert.Equal("disconnected", await DatabaseAsync(later));
    }

    private static async Task<string?> DatabaseAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("database").GetString();

    private static GatewayFactory Gateway(Dictionary<string, string?> settings) =>
        new() { Settings = settings, Transactions = new FakeTransactionService { Mode = TransactionServiceMode.Recording } };
}
