using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MpesaAspire.TestSupport;

namespace MpesaAspire.CallbackGateway.Tests;

/// <summary>When neither the transaction service nor the spool can take a callback, Safaricom is told so.</summary>
public sealed class UnwritableSpoolTests(UnwritableSpoolGatewayFactory gateway) : IClassFixture<UnwritableSpoolGatewayFactory>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task ACallbackThatCanBeNeitherRecordedNorKeptIsAnswered503AndHealthSaysUnhealthy()
    {
        var checkoutRequestId = SpoolTests.NewCheckoutRequestId();

        using var response = await _client.PostAsync("/mpesa/callback", new StringContent(
            DarajaFixtures.ReadStkWithCheckoutId("seed-doc-success-1000", checkoutRequestId), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.NotEqual(0, problem.RootElement.GetProperty("ResultCode").GetInt32());
        Assert.Equal(checkoutRequestId, problem.RootElement.GetProperty("CheckoutRequestID").GetString());
        Assert.Contains("could not be recorded", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var healthResponse = await _client.GetAsync("/health");
        var health = await healthResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthResponse.StatusCode);
        Assert.Equal("unhealthy", health.GetProperty("status").GetString());
        Assert.False(health.GetProperty("spool").GetProperty("writable").GetBoolean());
        Assert.Contains(" - ERROR - Transaction " + checkoutRequestId + " was not recorded", gateway.ReadLog(), StringComparison.Ordinal);
    }
}
