using System.Net;
using System.Text;
using System.Text.Json;

namespace MpesaAspire.CallbackGateway.Tests;

/// <summary>
/// Only Safaricom's callbacks are recorded: the secret URL token, the source allow-list, and the
/// limits. Safaricom's addresses are simulated through X-Forwarded-For from a trusted local proxy.
/// </summary>
public sealed class CallbackProtectionTests
{
    private const string CallbackToken = "Zq3-secret_callback.token~2024";
    private const string SafaricomAddress = "196.201.214.200";
    private const string StrangerAddress = "203.0.113.7";

    [Fact]
    public async Task AForgedCallbackWithoutTheTokenIsAnswered404AndNothingIsRecorded()
    {
        using var gateway = Gateway(new() { ["CallbackSecurity:CallbackToken"] = CallbackToken });
        using var client = gateway.CreateClient();

        using var plain = await PostAsync(client, "/mpesa/callback", "ws_CO_forged_plain");
        using var wrong = await PostAsync(client, "/mpesa/callback/guessed-token-0123456789", "ws_CO_forged_wrong");

        Assert.Equal(HttpStatusCode.NotFound, plain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Empty(gateway.Transactions.RecordedIds);
        var log = gateway.ReadLog();
        Assert.Contains("missing or wrong callback token", log, StringComparison.Ordinal);
        Assert.DoesNotContain("guessed-token", log, StringComparison.Ordinal);
        Assert.DoesNotContain(CallbackToken, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallbackWithTheRightTokenIsRecordedAndAcknowledged()
    {
        using var gateway = Gateway(new() { ["CallbackSecurity:CallbackToken"] = CallbackToken });
        using var client = gateway.CreateClient();

        using var response = await PostAsync(client, $"/mpesa/callback/{CallbackToken}", "ws_CO_tokenised");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await JsonAsync(response)).GetProperty("ResultCode").GetInt32());
        Assert.Contains("ws_CO_tokenised", gateway.Transactions.RecordedIds);
        Assert.DoesNotContain(CallbackToken, gateway.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutATokenConfiguredCallbacksAreRecordedAtThePlainPath()
    {
        using var gateway = Gateway([]);
        using var client = gateway.CreateClient();

        using var response = await PostAsync(client, "/mpesa/callback", "ws_CO_plain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ws_CO_plain", gateway.Transactions.RecordedIds);
    }

    [Fact]
    public async Task InEnforceModeACallbackFromAnUnknownAddressIsAnswered403AndNothingIsRecorded()
    {
        using var gateway = Gateway(new() { ["CallbackSecurity:Mode"] = "enforce", ["CallbackSecurity:TrustedProxies:0"] = "127.0.0.1" });
        using var client = gateway.CreateClient();

        using var stranger = await PostAsync(client, "/mpesa/callback", "ws_CO_stranger", forwardedFor: StrangerAddress);
        using var safaricom = await PostAsync(client, "/mpesa/callback", "ws_CO_safaricom", forwardedFor: SafaricomAddress);

        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, safaricom.StatusCode);
        Assert.Equal(["ws_CO_safaricom"], gateway.Transactions.RecordedIds);
        Assert.Contains($"Refused a callback from {StrangerAddress}: not an allowed callback source", gateway.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForwardedForHeaderFromAPeerThatIsNotATrustedProxyIsNotBelieved()
    {
        using var gateway = Gateway(new() { ["CallbackSecurity:Mode"] = "enforce" });
        using var client = gateway.CreateClient();

        using var spoofed = await PostAsync(client, "/mpesa/callback", "ws_CO_spoofed", forwardedFor: SafaricomAddress);

        Assert.Equal(HttpStatusCode.Forbidden, spoofed.StatusCode);
        Assert.Empty(gateway.Transactions.RecordedIds);
    }

    [Fact]
    public async Task AnAddressAClientPrependsToForwardedForIsNotBelieved()
    {
        using var gateway = Gateway(new() { ["CallbackSecurity:Mode"] = "enforce", ["CallbackSecurity:TrustedProxies:0"] = "127.0.0.1" });
        using var client = gateway.CreateClient();

        // The client wrote Safaricom's address itself; our proxy appended the address it really saw.
        using var spoofed = await PostAsync(client, "/mpesa/callback", "ws_CO_prepended", forwardedFor: $"{SafaricomAddress}, {StrangerAddress}");

        Assert.Equal(HttpStatusCode.Forbidden, spoofed.StatusCode);
        Assert.Empty(gateway.Transactions.RecordedIds);
    }

    [Fact]
    public async Task InLogModeACallbackFromAnUnknownAddressIsRecordedAndAWarningLogged()
    {
        using var gateway = Gateway(new() { ["CallbackSecurity:TrustedProxies:0"] = "127.0.0.1" });
        using var client = gateway.CreateClient();

        using var response = await PostAsync(client, "/mpesa/callback", "ws_CO_logged", forwardedFor: StrangerAddress);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ws_CO_logged", gateway.Transactions.RecordedIds);
        Assert.Contains($"Callback from {StrangerAddress}, which is not an allowed callback source", gateway.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFloodFromOneAddressIsAnswered429WhileSafaricomIsStillRecorded()
    {
        using var gateway = Gateway(new()
        {
            ["CallbackSecurity:TrustedProxies:0"] = "127.0.0.1",
            ["CallbackLimits:PermitLimitPerSource"] = "3",
        });
        using var client = gateway.CreateClient();

        var flood = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await PostAsync(client, "/mpesa/callback", $"ws_CO_flood_{i}", forwardedFor: StrangerAddress);
            flood.Add(response.StatusCode);
        }

        var safaricom = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await PostAsync(client, "/mpesa/callback", $"ws_CO_safaricom_{i}", forwardedFor: SafaricomAddress);
            safaricom.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], flood);
        Assert.All(safaricom, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.DoesNotContain("ws_CO_flood_3", gateway.Transactions.RecordedIds);
        Assert.Equal(9, gateway.Transactions.RecordedIds.Count);
    }

    [Fact]
    public void ATooShortCallbackTokenStopsTheGatewayWithoutEchoingIt()
    {
        using var gateway = Gateway(new() { ["CallbackSecurity:CallbackToken"] = "s3cr3t-but-short" [..12] });

        var failure = Record.Exception(() => gateway.CreateClient());

        Assert.NotNull(failure);
        Assert.Contains("CallbackSecurity:CallbackToken", failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-but-s", failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CallbackSecurity:AllowedSources", "safaricom.example")]
    [InlineData("CallbackSecurity:TrustedProxies", "10.0.0.0/99")]
    public void AnAddressListEntryThatIsNotAnAddressOrRangeStopsTheGatewayAndNamesTheSetting(string setting, string entry)
    {
        using var gateway = Gateway(new() { [setting + ":0"] = entry });

        var failure = Record.Exception(() => gateway.CreateClient());

        Assert.NotNull(failure);
        Assert.Contains(setting + " must list IP addresses or CIDR ranges", failure.ToString(), StringComparison.Ordinal);
    }

    private static GatewayFactory Gateway(Dictionary<string, string?> settings) =>
        new() { Settings = settings, Transactions = new FakeTransactionService { Mode = TransactionServiceMode.Recording } };

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string checkoutRequestId, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(Callback(checkoutRequestId), Encoding.UTF8, "application/json"),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await client.SendAsync(request);
    }

    private static string Callback(string checkoutRequestId) => """
        {"Body":{"stkCallback":{"MerchantRequestID":"29115-34620561-1","CheckoutRequestID":"CHECKOUT_ID","ResultCode":0,
        "ResultDesc":"The service request is processed successfully.","CallbackMetadata":{"Item":[{"Name":"Amount","Value":1.00},
        {"Name":"MpesaReceiptNumber","Value":"NLJ7RT61SV"},{"Name":"TransactionDate","Value":20191219102115},{"Name":"PhoneNumber","Value":254708374149}]}}}}
        """.Replace("CHECKOUT_ID", checkoutRequestId, StringComparison.Ordinal);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
