using System.Diagnostics;
using System.Net;
using System.Text;

namespace MpesaAspire.CallbackGateway.Tests;

public sealed class CallbackTokenTracingTests
{
    private const string CallbackToken = "trace-me-not_0123456789";

    [Fact]
    public async Task TheCallbacksTraceShowsTheRouteTemplateNotTheToken()
    {
        // The server's activity stops once the response is written, which can be after the client has
        // read it; other tests' requests run meanwhile. Wait for this request's own activity.
        var traced = new TaskCompletionSource<List<KeyValuePair<string, string?>>>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("mpesa.checkout_request_id") as string == "ws_CO_traced")
                {
                    traced.TrySetResult([.. activity.Tags, new("display_name", activity.DisplayName)]);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var gateway = new GatewayFactory
        {
            Settings = new() { ["CallbackSecurity:CallbackToken"] = CallbackToken },
            Transactions = new FakeTransactionService { Mode = TransactionServiceMode.Recording },
        };
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync(
            $"/mpesa/callback/{CallbackToken}",
            new StringContent("""{"Body":{"stkCallback":{"CheckoutRequestID":"ws_CO_traced","ResultCode":1032,"ResultDesc":"Cancelled"}}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tags = await traced.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(tags, tag => tag.Key == "url.path" && tag.Value == "/mpesa/callback/{token}");
        Assert.DoesNotContain(tags, tag => tag.Value?.Contains(CallbackToken, StringComparison.Ordinal) == true);
    }
}
