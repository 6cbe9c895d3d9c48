using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MpesaAspire.TestSupport;

namespace MpesaAspire.CallbackGateway.Tests;

public sealed class CallbackEndpointTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const string ProblemJson = "application/problem+json";

    private readonly HttpClient _client = gateway.CreateClient();

    [Theory]
    [InlineData("{\"Body\":", "malformed_json", "The request body is not valid JSON")]
    [InlineData("[]", "not_an_object", "The request body must be a JSON object")]
    [InlineData("{}", "missing_body", "Body is missing")]
    [InlineData("{\"Body\":{}}", "missing_stk_callback", "Body.stkCallback is missing")]
    [InlineData("{\"Body\":{\"stkCallback\":{\"ResultCode\":0}}}", "missing_checkout_request_id", "Body.stkCallback.CheckoutRequestID is missing")]
    [InlineData("{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"\",\"ResultCode\":0}}}", "missing_checkout_request_id", "Body.stkCallback.CheckoutRequestID is empty")]
    [InlineData("{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"ws_CO_1\"}}}", "missing_result_code", "Body.stkCallback.ResultCode is missing")]
    [InlineData("", "empty_body", "The request body is empty")]
    public async Task ABodyThatIsNotAnStkCallbackIsAnswered400WithProblemDetails(string body, string reason, string detail)
    {
        using var response = await PostAsync(new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.StartsWith(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("c2b/confirmation-2020-plain-msisdn.json")]
    [InlineData("result/b2c-success.json")]
    [InlineData("result/stk-query-response-string-codes.json")]
    public async Task AnotherKindOfDarajaPayloadIsAnswered400NotRecorded(string sample)
    {
        using var response = await PostAsync(new StringContent(DarajaFixtures.Read(sample), Encoding.UTF8, "application/json"));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("missing_body", problem.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task AValidCallbackIsTakenWhateverItsContentType(string contentType)
    {
        var checkoutRequestId = SpoolTests.NewCheckoutRequestId();
        var content = new StringContent(DarajaFixtures.ReadStkWithCheckoutId("seed-doc-success-1000", checkoutRequestId));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await PostAsync(content);

        await SpoolTests.AssertAcknowledgedAsync(response, checkoutRequestId);
    }

    [Fact]
    public async Task AValidCallbackWithoutAContentTypeIsTaken()
    {
        var checkoutRequestId = SpoolTests.NewCheckoutRequestId();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(DarajaFixtures.ReadStkWithCheckoutId("seed-doc-success-1000", checkoutRequestId)));

        using var response = await PostAsync(content);

        await SpoolTests.AssertAcknowledgedAsync(response, checkoutRequestId);
    }

    [Fact]
    public async Task AValidCallbackStartingWithAUtf8ByteOrderMarkIsTaken()
    {
        var checkoutRequestId = SpoolTests.NewCheckoutRequestId();
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(DarajaFixtures.ReadStkWithCheckoutId("seed-doc-success-1000", checkoutRequestId))];
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await PostAsync(content);

        await SpoolTests.AssertAcknowledgedAsync(response, checkoutRequestId);
    }

    [Fact]
    public async Task ABodyOverTheLimitIsAnswered413()
    {
        var padding = new string(' ', 5000);
        using var response = await PostAsync(new StringContent(padding + DarajaFixtures.ReadStk("seed-doc-success-1000"), Encoding.UTF8, "application/json"));

        var problem = await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("payload_too_large", problem.GetProperty("reason").GetString());
        Assert.Contains("4096 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamedBodyOverTheLimitWithoutALengthIsAnswered413()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"Body\":\"" + new string('x', 10_000) + "\"}")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = null;

        using var response = await PostAsync(content);

        await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task BytesThatAreNotUtf8AreAnswered400()
    {
        var content = new ByteArrayContent([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await PostAsync(content);

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_encoding", problem.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/vnd.safaricom+json")]
    public async Task AJsonContentTypeWithParametersOrASuffixIsAccepted(string contentType)
    {
        var content = new StringContent("{}");
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await PostAsync(content);

        // Past the content type check: refused for what the body is, not for how it was sent.
        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("missing_body", problem.GetProperty("reason").GetString());
    }

    [Theory]
    [MemberData(nameof(StkSamples))]
    public async Task AValidCallbackThatCannotBeRecordedIsKeptAndAcknowledgedAsReceived(string sample)
    {
        var checkoutRequestId = $"ws_CO_gateway_{sample}";

        using var response = await PostAsync(new StringContent(
            DarajaFixtures.ReadStkWithCheckoutId(sample, checkoutRequestId), Encoding.UTF8, "application/json"));

        await SpoolTests.AssertAcknowledgedAsync(response, checkoutRequestId);
    }

    [Fact]
    public async Task TheLogFileTellsWhatHappenedWithThePhoneMasked()
    {
        const string CheckoutRequestId = "ws_CO_gateway_log_file";

        using var response = await PostAsync(new StringContent(
            DarajaFixtures.ReadStkWithCheckoutId("seed-doc-success-1000", CheckoutRequestId), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var log = gateway.ReadLog();
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains(" - INFO - Received M-Pesa callback: {", StringComparison.Ordinal)
            && l.Contains(CheckoutRequestId, StringComparison.Ordinal) && l.Contains("2547****4149", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith($" - INFO - Processing transaction {CheckoutRequestId} - Result: 0 (Success)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($" - WARNING - Transaction {CheckoutRequestId} could not be recorded now", StringComparison.Ordinal)
            && l.Contains("kept in the spool", StringComparison.Ordinal));
        Assert.DoesNotContain("254708374149", log, StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Matches(
            @"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} - MpesaAspire\.CallbackGateway\.[\w.]+ - (DEBUG|INFO|WARNING|ERROR|CRITICAL) - ", l));
    }

    [Fact]
    public async Task ARefusedCallbackIsLoggedAsAWarning()
    {
        using var response = await PostAsync(new StringContent("{\"Body\":{\"stkCallback\":{\"ResultCode\":0,\"Marker\":\"refused-log\"}}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        Assert.Contains(
            " - WARNING - Rejected M-Pesa callback with 400 (missing_checkout_request_id): Body.stkCallback.CheckoutRequestID is missing.",
            gateway.ReadLog(),
            StringComparison.Ordinal);
    }

    public static TheoryData<string> StkSamples => [.. DarajaFixtures.StkCallbackNames];

    private Task<HttpResponseMessage> PostAsync(HttpContent content) => _client.PostAsync("/mpesa/callback", content);

    private static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
