using System.Diagnostics;
using System.Net;
using System.Text;
using MpesaAspire.TestSupport;

namespace MpesaAspire.IntegrationTests;

/// <summary>One trace per callback, from the gateway across the gRPC hop into the transaction service.</summary>
[Collection(MpesaSystemCollection.Name)]
public sealed class TracingTests(MpesaSystemFixture system)
{
    [Fact]
    public async Task TheTraceTheGatewayContinuesIsTheOneTheTransactionServiceRecordsTheCallbackUnder()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var parentSpanId = ActivitySpanId.CreateRandom();
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mpesa/callback")
        {
            Content = new StringContent(
                DarajaFixtures.ReadStkWithCheckoutId("timeout-1036-smsc", checkoutRequestId), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{parentSpanId}-01");

        using var response = await system.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recordedTraceId = await system.ScalarAsync<string>(
            "SELECT trace_id FROM stk_callback_inbox WHERE checkout_request_id = @id", ("@id", checkoutRequestId));
        Assert.Equal(traceId.ToHexString(), recordedTraceId);
    }

    [Fact]
    public async Task TheTelegramCallsACallbackCausesBelongToTheCallbacksTrace()
    {
        await system.WaitForOutboxDrainedAsync(TimeSpan.FromSeconds(90));
        var traceId = ActivityTraceId.CreateRandom();
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mpesa/callback")
        {
            Content = new StringContent(
                DarajaFixtures.ReadStkWithCheckoutId("wrong-pin-2001-prefixed-desc", checkoutRequestId), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await system.Gateway.SendAsync(request);
        var admin = await system.Telegram.WaitForMessagesAsync(
            m => m.ChatId == MpesaSystemFixture.AdminChatId && m.Text.Contains(checkoutRequestId, StringComparison.Ordinal),
            1,
            TimeSpan.FromSeconds(90));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(traceId.ToHexString(), Assert.Single(admin).TraceId);
    }
}
