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
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();

        using var response = await PostUnderTraceAsync("timeout-1036-smsc", checkoutRequestId, traceId);

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

        using var response = await PostUnderTraceAsync("wrong-pin-2001-prefixed-desc", checkoutRequestId, traceId);
        var admin = await system.Telegram.WaitForMessagesAsync(
            m => m.ChatId == MpesaSystemFixture.AdminChatId && m.Text.Contains(checkoutRequestId, StringComparison.Ordinal),
            1,
            TimeSpan.FromSeconds(90));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(traceId.ToHexString(), Assert.Single(admin).TraceId);
    }

    /// <summary>Posts a sample callback as the first hop of a trace the test chose.</summary>
    private async Task<HttpResponseMessage> PostUnderTraceAsync(string fixture, string checkoutRequestId, ActivityTraceId traceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mpesa/callback")
        {
            Content = new StringContent(
                DarajaFixtures.ReadStkWithCheckoutId(fixture, checkoutRequestId), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        return await system.Gateway.SendAsync(request);
    }
}
