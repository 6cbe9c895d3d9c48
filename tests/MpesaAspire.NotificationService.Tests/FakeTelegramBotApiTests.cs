using System.Net;
using System.Text;
using System.Text.Json;
using MpesaAspire.TestSupport;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>
/// The fake Telegram refuses what the real one refuses, so a message the service gets wrong fails
/// the tests instead of passing silently.
/// </summary>
public sealed class FakeTelegramBotApiTests : IAsyncLifetime
{
    private FakeTelegramBotApi _telegram = null!;

    public async Task InitializeAsync() => _telegram = await FakeTelegramBotApi.StartAsync();

    public async Task DisposeAsync() => await _telegram.DisposeAsync();

    [Theory]
    [InlineData("Reason: a < b", "Unclosed start tag")]
    [InlineData("Fish & chips", "unescaped \"&\"")]
    [InlineData("<script>x</script>", "Unsupported start tag")]
    [InlineData("<b>bold</i>", "Unmatched end tag")]
    [InlineData("<b>never closed", "Can't find end tag")]
    [InlineData("&nbsp;", "Unsupported HTML entity")]
    public async Task HtmlTelegramCannotParseIsRefusedLikeTelegramRefusesIt(string text, string reason)
    {
        var (status, body) = await SendMessageAsync(new { chat_id = 1, text, parse_mode = "HTML" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(body.GetProperty("ok").GetBoolean());
        Assert.Equal(400, body.GetProperty("error_code").GetInt32());
        Assert.StartsWith("Bad Request: can't parse entities: ", body.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains(reason, body.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Empty(_telegram.Messages);
        Assert.Equal(1, _telegram.SendMessageCalls);
    }

    [Fact]
    public async Task WellFormedHtmlIsStoredAsTheRecipientSeesIt()
    {
        var (status, body) = await SendMessageAsync(new { chat_id = -100123, text = "<b>Paid</b> &lt;KES&gt; &amp; &quot;ok&quot; &#128512;", parse_mode = "HTML" });

        Assert.Equal(HttpStatusCode.OK, status);
        var message = Assert.Single(_telegram.Messages);
        Assert.Equal("Paid <KES> & \"ok\" 😀", message.Text);
        Assert.Equal("<b>Paid</b> &lt;KES&gt; &amp; &quot;ok&quot; &#128512;", message.RawText);
        Assert.Equal(message.MessageId, body.GetProperty("result").GetProperty("message_id").GetInt32());
        Assert.Equal("group", body.GetProperty("result").GetProperty("chat").GetProperty("type").GetString());
    }

    [Fact]
    public async Task TheLengthLimitAppliesToTheDisplayedText()
    {
        var fits = string.Concat(Enumerable.Repeat("&amp;", 4096));
        var tooLong = new string('x', 4097);

        var (fitsStatus, _) = await SendMessageAsync(new { chat_id = 1, text = fits, parse_mode = "HTML" });
        var (tooLongStatus, tooLongBody) = await SendMessageAsync(new { chat_id = 1, text = tooLong });

        Assert.Equal(HttpStatusCode.OK, fitsStatus);
        Assert.Equal(HttpStatusCode.BadRequest, tooLongStatus);
        Assert.Equal("Bad Request: message is too long", tooLongBody.GetProperty("description").GetString());
    }

    [Fact]
    public async Task FormBodiesAreAcceptedLikeJson()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["chat_id"] = "55", ["text"] = "hello" });

        using var http = new HttpClient { BaseAddress = _telegram.BaseUrl };
        using var response = await http.PostAsync(new Uri("/bot1:abc/sendMessage", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", Assert.Single(_telegram.Messages).Text);
    }

    [Fact]
    public async Task ARatioOfTooManyRequestsRefusesADeterministicShareOfCalls()
    {
        _telegram.TooManyRequestsRatio = 0.2;
        _telegram.RetryAfterSeconds = 7;

        var statuses = new List<HttpStatusCode>();
        JsonElement refusal = default;
        for (var i = 0; i < 10; i++)
        {
            var (status, body) = await SendMessageAsync(new { chat_id = 1, text = "x" });
            statuses.Add(status);
            if (status == HttpStatusCode.TooManyRequests)
            {
                refusal = body;
            }
        }

        Assert.Equal([4, 9], statuses.Select((s, i) => (s, i)).Where(p => p.s == HttpStatusCode.TooManyRequests).Select(p => p.i));
        Assert.Equal("Too Many Requests: retry after 7", refusal.GetProperty("description").GetString());
        Assert.Equal(7, refusal.GetProperty("parameters").GetProperty("retry_after").GetInt32());
    }

    [Fact]
    public async Task WaitingForMessagesThatNeverComeSaysWhatDidArrive()
    {
        await SendMessageAsync(new { chat_id = 9, text = "only this one" });

        var exception = await Assert.ThrowsAsync<TimeoutException>(() =>
            _telegram.WaitForMessagesAsync(m => m.ChatId == 9, count: 2, TimeSpan.FromMilliseconds(200)));

        Assert.Contains("only this one", exception.Message, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendMessageAsync(object parameters)
    {
        using var content = new StringContent(JsonSerializer.Serialize(parameters), Encoding.UTF8, "application/json");
        using var http = new HttpClient { BaseAddress = _telegram.BaseUrl };
        using var response = await http.PostAsync(new Uri("/bot1:abc/sendMessage", UriKind.Relative), content);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body);
    }
}
