using System.Net;
using System.Text;
using MpesaAspire.TestSupport;

namespace MpesaAspire.IntegrationTests;

/// <summary>Bodies that are not STK callbacks: a clear 4xx, never a 5xx, and nothing recorded (refused JSON is only kept, marked rejected).</summary>
[Collection(MpesaSystemCollection.Name)]
public sealed class MalformedCallbackTests(MpesaSystemFixture system)
{
    private const string Marker = "ws_CO_MALFORMED_";

    public static TheoryData<string, string, HttpStatusCode> MalformedBodies() => new()
    {
        { "malformed JSON", """{"Body":{"stkCallback":{"CheckoutRequestID":"ws_CO_MALFORMED_1" """, HttpStatusCode.BadRequest },
        { "not an object", """["ws_CO_MALFORMED_2"]""", HttpStatusCode.BadRequest },
        { "no Body.stkCallback", """{"Body":{"CheckoutRequestID":"ws_CO_MALFORMED_3","ResultCode":0}}""", HttpStatusCode.BadRequest },
        { "no CheckoutRequestID", """{"Body":{"stkCallback":{"MerchantRequestID":"ws_CO_MALFORMED_4","ResultCode":0,"ResultDesc":"ok"}}}""", HttpStatusCode.BadRequest },
        { "empty CheckoutRequestID", """{"Body":{"stkCallback":{"MerchantRequestID":"ws_CO_MALFORMED_5","CheckoutRequestID":"","ResultCode":0}}}""", HttpStatusCode.BadRequest },
        { "C2B confirmation", DarajaFixtures.Read("c2b/confirmation-2020-plain-msisdn.json"), HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task ABodyThatIsNotAnStkCallbackGetsAClearClientErrorAndRecordsNothing(string why, string body, HttpStatusCode expected)
    {
        var before = await RowCountsAsync();

        using var response = await system.PostCallbackAsync(body);

        Assert.True(expected == response.StatusCode, $"{why}: expected {expected}, got {response.StatusCode}");
        Assert.StartsWith("application/", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.EndsWith("json", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var error = await response.Content.ReadAsStringAsync();
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Equal(before, await RowCountsAsync());
    }

    [Fact]
    public async Task ACallbackSentAsTextPlainIsRecordedAllTheSame()
    {
        var checkoutRequestId = Marker + Guid.NewGuid().ToString("N");
        var json = DarajaFixtures.ReadStkWithCheckoutId("expired-1019", checkoutRequestId);

        using var response = await system.Gateway.PostAsync(
            "/mpesa/callback", new StringContent(json, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await MpesaSystemFixture.JsonAsync(response)).GetProperty("ResultCode").GetInt32());
        Assert.NotNull(await system.TransactionRowAsync(checkoutRequestId));
    }

    [Fact]
    public async Task AnOversizedBodyIsRefusedWith413()
    {
        var padding = new string('x', 2 * 1024 * 1024);
        var json = """{"Body":{"stkCallback":{"CheckoutRequestID":"ws_CO_MALFORMED_big","ResultCode":0,"ResultDesc":" """
            + padding + "\"}}}";
        var before = await RowCountsAsync();

        using var response = await system.PostCallbackAsync(json);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, await RowCountsAsync());
    }

    private async Task<(long Transactions, long Inbox)> RowCountsAsync() => (
        await system.ScalarAsync<long>("SELECT COUNT(*) FROM transactions"),
        await system.ScalarAsync<long>("SELECT COUNT(*) FROM stk_callback_inbox WHERE outcome <> 'Rejected'"));
}
