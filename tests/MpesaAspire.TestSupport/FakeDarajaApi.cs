using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MpesaAspire.TestSupport;

/// <summary>
/// A local stand-in for Safaricom's Daraja API on 127.0.0.1, speaking its wire format: OAuth
/// (<c>/oauth/v1/generate</c>, Basic auth; every new token invalidates the previous one), STK Push
/// (<c>/mpesa/stkpush/v1/processrequest</c>, checked field by field like Daraja: 400.002.02
/// "Bad Request - Invalid X", Nairobi-time timestamps, the password), the result callback posted to
/// the CallBackURL (or <see cref="CallbackTarget"/>) once the customer "answers", and STK Push Query
/// (<c>/mpesa/stkpushquery/v1/query</c>: 500.001.1001 "being processed" until then, string result
/// codes after, 429 spike arrest on demand). How a push ends is chosen per phone number
/// (<see cref="SetScenario"/>), else <see cref="DefaultScenario"/>.
/// </summary>
public sealed partial class FakeDarajaApi : IAsyncDisposable
{
    public const string DefaultConsumerKey = "fake-consumer-key";
    public const string DefaultConsumerSecret = "fake-consumer-secret";

    /// <summary>The sandbox's public passkey (from Safaricom's sample).</summary>
    public const string SandboxPasskey = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919";

    public const string SandboxShortCode = "174379";

    private static readonly TimeZoneInfo Nairobi = TimeZoneInfo.CreateCustomTimeZone("EAT", TimeSpan.FromHours(3), "EAT", "EAT");

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly HttpClient _callbackClient = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Lock _gate = new();
    private readonly List<FakeStkPush> _pushes = [];
    private readonly ConcurrentDictionary<string, FakeStkScenario> _scenarios = new();
    private readonly ConcurrentBag<Task> _callbacks = [];
    private string? _currentToken;
    private int _tokensIssued;
    private int _queryCalls;
    private int _pushCalls;
    private int _tooManyRequests;
    private int _sequence;

    private FakeDarajaApi(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    /// <summary>http://127.0.0.1:&lt;port&gt;: the value for <c>Daraja:BaseUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public string ConsumerKey { get; set; } = DefaultConsumerKey;

    public string ConsumerSecret { get; set; } = DefaultConsumerSecret;

    public string Passkey { get; set; } = SandboxPasskey;

    public string ShortCode { get; set; } = SandboxShortCode;

    /// <summary>When set, callbacks go here whatever CallBackURL the push named (the gateway's address is known only after start).</summary>
    public Uri? CallbackTarget { get; set; }

    public FakeStkScenario DefaultScenario { get; set; } = FakeStkScenario.Success;

    /// <summary>
    /// How STK Push Query answers for an id no push here made. Null (as Daraja does): 400.002.02
    /// "Invalid CheckoutRequestID". A scenario: as if that push had been made and had completed so, for
    /// tests whose invented callbacks stand for real payments.
    /// </summary>
    public FakeStkScenario? UnknownCheckoutScenario { get; set; }

    /// <summary>True: <c>expires_in</c> is a JSON number (newer docs); false: a string such as "3599" (older samples).</summary>
    public bool ExpiresInAsNumber { get; set; }

    public int TokenLifetimeSeconds { get; set; } = 3599;

    /// <summary>OAuth tokens issued so far.</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>Push requests received, accepted or not.</summary>
    public int PushCalls => Volatile.Read(ref _pushCalls);

    public int QueryCalls => Volatile.Read(ref _queryCalls);

    /// <summary>Pushes accepted, oldest first.</summary>
    public IReadOnlyList<FakeStkPush> Pushes
    {
        get
        {
            lock (_gate)
            {
                return [.. _pushes];
            }
        }
    }

    public static async Task<FakeDarajaApi> StartAsync(TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeDarajaApi(app, clock ?? TimeProvider.System);
        app.Run(fake.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address);
        return fake;
    }

    /// <summary>Pushes to <paramref name="phone"/> (2547… form) end as <paramref name="scenario"/> says.</summary>
    public void SetScenario(string phone, FakeStkScenario scenario) => _scenarios[phone] = scenario;

    /// <summary>The next <paramref name="count"/> queries are answered 429 (spike arrest).</summary>
    public void RefuseQueriesWithTooManyRequests(int count) => Interlocked.Exchange(ref _tooManyRequests, count);

    /// <summary>Daraja forgets the current token, as when another client fetched one: the next call gets 404.001.03.</summary>
    public void InvalidateCurrentToken()
    {
        lock (_gate)
        {
            _currentToken = null;
        }
    }

    /// <summary>
    /// A push another system made with the same credentials (an older bot): Daraja knows it, so STK
    /// Push Query answers for it, but no callback is sent.
    /// </summary>
    public void AddPushMadeElsewhere(string checkoutRequestId, string phone, int amount, FakeStkScenario scenario)
    {
        var push = new FakeStkPush(
            checkoutRequestId, "elsewhere-" + checkoutRequestId, phone, amount, "ELSEWHERE", "", new JsonObject(), scenario, _clock.GetUtcNow());
        lock (_gate)
        {
            _pushes.Add(push);
        }
    }

    public IReadOnlyList<FakeStkPush> PushesTo(string phone) => [.. Pushes.Where(p => p.PhoneNumber == phone)];

    /// <summary>Posts the result callback of a push now (for a callback that comes late).</summary>
    public Task SendCallbackAsync(string checkoutRequestId, CancellationToken cancellationToken = default)
    {
        var push = Pushes.Single(p => p.CheckoutRequestId == checkoutRequestId);
        return PostCallbackAsync(push, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _callbackClient.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        switch (path)
        {
            case "/oauth/v1/generate" when HttpMethods.IsGet(context.Request.Method):
                await HandleTokenAsync(context);
                break;
            case "/mpesa/stkpush/v1/processrequest" when HttpMethods.IsPost(context.Request.Method):
                Interlocked.Increment(ref _pushCalls);
                await HandlePushAsync(context);
                break;
            case "/mpesa/stkpushquery/v1/query" when HttpMethods.IsPost(context.Request.Method):
                Interlocked.Increment(ref _queryCalls);
                await HandleQueryAsync(context);
                break;
            default:
                await WriteErrorAsync(context, 404, "404.001.01", "Resource not found");
                break;
        }
    }

    private async Task HandleTokenAsync(HttpContext context)
    {
        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConsumerKey}:{ConsumerSecret}"));
        if (context.Request.Query["grant_type"] != "client_credentials")
        {
            await WriteErrorAsync(context, 400, "400.008.02", "Invalid grant type passed");
            return;
        }

        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var auth)
            || auth.Scheme != "Basic" || auth.Parameter != expected)
        {
            await WriteErrorAsync(context, 400, "400.008.01", "Invalid Authentication passed");
            return;
        }

        string token;
        lock (_gate)
        {
            // Each token request invalidates the previous token, as Daraja does.
            token = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');
            _currentToken = token;
            _tokensIssued++;
        }

        var body = new JsonObject { ["access_token"] = token };
        body["expires_in"] = ExpiresInAsNumber
            ? TokenLifetimeSeconds
            : TokenLifetimeSeconds.ToString(CultureInfo.InvariantCulture);
        await WriteJsonAsync(context, 200, body);
    }

    private async Task HandlePushAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            await WriteErrorAsync(context, 400, "400.002.02", "Bad Request - Invalid Body");
            return;
        }

        var invalid = CheckCredentials(body) ?? CheckPush(body);
        if (invalid is not null)
        {
            await WriteErrorAsync(context, 400, "400.002.02", "Bad Request - Invalid " + invalid);
            return;
        }

        var phone = Text(body, "PhoneNumber")!;
        var scenario = _scenarios.TryGetValue(phone, out var chosen) ? chosen : DefaultScenario;
        var n = Interlocked.Increment(ref _sequence);
        var now = _clock.GetUtcNow();
        var push = new FakeStkPush(
            $"ws_CO_{NairobiStamp(now)}{n:D6}{Random.Shared.Next(100_000, 999_999)}",
            $"{Random.Shared.Next(10_000, 99_999)}-{Random.Shared.Next(1_000_000, 9_999_999)}-{n}",
            phone,
            int.Parse(Text(body, "Amount")!, NumberStyles.Integer, CultureInfo.InvariantCulture),
            Text(body, "AccountReference")!,
            Text(body, "Timestamp")!,
            body,
            scenario,
            now)
        {
            ReceiptNumber = "FKE" + n.ToString("D7", CultureInfo.InvariantCulture),
        };
        lock (_gate)
        {
            _pushes.Add(push);
        }

        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["MerchantRequestID"] = push.MerchantRequestId,
            ["CheckoutRequestID"] = push.CheckoutRequestId,
            ["ResponseCode"] = "0",
            ["ResponseDescription"] = "Success. Request accepted for processing",
            ["CustomerMessage"] = "Success. Request accepted for processing",
        });

        if (scenario.Callback != FakeCallbackMode.Never)
        {
            _callbacks.Add(Task.Run(async () =>
            {
                await Task.Delay(scenario.CompletesAfter);
                await PostCallbackAsync(push, CancellationToken.None);
                if (scenario.Callback == FakeCallbackMode.Twice)
                {
                    await PostCallbackAsync(push, CancellationToken.None);
                }
            }));
        }
    }

    private async Task HandleQueryAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        if (Interlocked.Decrement(ref _tooManyRequests) >= 0)
        {
            await WriteErrorAsync(context, 429, "500.003.02", "Spike arrest violation");
            return;
        }

        Interlocked.Exchange(ref _tooManyRequests, 0);
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            await WriteErrorAsync(context, 400, "400.002.02", "Bad Request - Invalid Body");
            return;
        }

        var invalid = CheckCredentials(body);
        var checkoutRequestId = Text(body, "CheckoutRequestID");
        var push = Pushes.FirstOrDefault(p => p.CheckoutRequestId == checkoutRequestId);
        if (invalid is null && push is null && checkoutRequestId is not null && UnknownCheckoutScenario is { } assumed)
        {
            push = new FakeStkPush(checkoutRequestId, "", "", 0, "", "", new JsonObject(), assumed with { CompletesAfter = TimeSpan.Zero }, DateTimeOffset.MinValue);
        }

        if (invalid is not null || push is null)
        {
            await WriteErrorAsync(context, 400, "400.002.02", "Bad Request - Invalid " + (invalid ?? "CheckoutRequestID"));
            return;
        }

        if (_clock.GetUtcNow() < push.ReceivedAt + push.Scenario.CompletesAfter)
        {
            await WriteErrorAsync(context, 500, "500.001.1001", "The transaction is being processed");
            return;
        }

        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["ResponseCode"] = "0",
            ["ResponseDescription"] = "The service request has been accepted successsfully",
            ["MerchantRequestID"] = push.MerchantRequestId,
            ["CheckoutRequestID"] = push.CheckoutRequestId,
            ["ResultCode"] = push.Scenario.ResultCode,
            ["ResultDesc"] = push.Scenario.ResultDesc,
        });
    }

    private async Task PostCallbackAsync(FakeStkPush push, CancellationToken cancellationToken)
    {
        var target = CallbackTarget ?? new Uri(Text(push.Body, "CallBackURL")!);
        var callback = new JsonObject
        {
            ["MerchantRequestID"] = push.MerchantRequestId,
            ["CheckoutRequestID"] = push.CheckoutRequestId,
            ["ResultCode"] = int.TryParse(push.Scenario.ResultCode, out var numeric) ? numeric : push.Scenario.ResultCode,
            ["ResultDesc"] = push.Scenario.ResultDesc,
        };
        if (push.Scenario.IsSuccess)
        {
            callback["CallbackMetadata"] = new JsonObject
            {
                ["Item"] = new JsonArray
                {
                    new JsonObject { ["Name"] = "Amount", ["Value"] = push.Amount },
                    new JsonObject { ["Name"] = "MpesaReceiptNumber", ["Value"] = push.ReceiptNumber },
                    new JsonObject { ["Name"] = "Balance" },
                    new JsonObject { ["Name"] = "TransactionDate", ["Value"] = long.Parse(NairobiStamp(_clock.GetUtcNow()), CultureInfo.InvariantCulture) },
                    new JsonObject { ["Name"] = "PhoneNumber", ["Value"] = long.Parse(push.PhoneNumber, CultureInfo.InvariantCulture) },
                },
            };
        }

        var json = new JsonObject { ["Body"] = new JsonObject { ["stkCallback"] = callback } }.ToJsonString();
        try
        {
            using var response = await _callbackClient.PostAsync(target, new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
        }
        catch (HttpRequestException)
        {
            // Safaricom does not retry a callback whose URL did not answer.
        }
    }

    private async Task<bool> AuthorizedAsync(HttpContext context)
    {
        string? current;
        lock (_gate)
        {
            current = _currentToken;
        }

        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var auth)
            || auth.Scheme != "Bearer" || current is null || auth.Parameter != current)
        {
            await WriteErrorAsync(context, 404, "404.001.03", "Invalid Access Token");
            return false;
        }

        return true;
    }

    /// <summary>Shortcode, timestamp (Nairobi time, within five minutes of now) and password.</summary>
    private string? CheckCredentials(JsonObject body)
    {
        if (Text(body, "BusinessShortCode") != ShortCode)
        {
            return "BusinessShortCode";
        }

        var timestamp = Text(body, "Timestamp");
        if (timestamp is null
            || !DateTime.TryParseExact(timestamp, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var stamped)
            || Math.Abs((stamped - TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), Nairobi).DateTime).TotalMinutes) > 5)
        {
            return "Timestamp";
        }

        var password = Convert.ToBase64String(Encoding.UTF8.GetBytes(ShortCode + Passkey + timestamp));
        return Text(body, "Password") == password ? null : "Password";
    }

    private string? CheckPush(JsonObject body)
    {
        if (Text(body, "TransactionType") is not ("CustomerPayBillOnline" or "CustomerBuyGoodsOnline"))
        {
            return "TransactionType";
        }

        if (body["Amount"] is not JsonValue amount || amount.GetValueKind() != JsonValueKind.Number
            || !int.TryParse(amount.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var shillings)
            || shillings is < 1 or > 250_000)
        {
            return "Amount";
        }

        if (!IsPhone(Text(body, "PartyA")))
        {
            return "PartyA";
        }

        if (Text(body, "PartyB") is not { Length: > 0 } partyB || !partyB.All(char.IsAsciiDigit))
        {
            return "PartyB";
        }

        if (!IsPhone(Text(body, "PhoneNumber")))
        {
            return "PhoneNumber";
        }

        if (!Uri.TryCreate(Text(body, "CallBackURL"), UriKind.Absolute, out var callback) || callback.Scheme is not ("http" or "https"))
        {
            return "CallBackURL";
        }

        if (Text(body, "AccountReference") is not { Length: >= 1 and <= 12 })
        {
            return "AccountReference";
        }

        return Text(body, "TransactionDesc") is { Length: >= 1 and <= 13 } ? null : "TransactionDesc";
    }

    private static bool IsPhone(string? value) => value is not null && PhonePattern().IsMatch(value);

    [GeneratedRegex("^254(7|1)[0-9]{8}$")]
    private static partial Regex PhonePattern();

    private static string NairobiStamp(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Nairobi).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value
            ? value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()
            : null;

    private static Task WriteErrorAsync(HttpContext context, int status, string errorCode, string errorMessage) =>
        WriteJsonAsync(context, status, new JsonObject
        {
            ["requestId"] = $"{Random.Shared.Next(1000, 9999)}-{Random.Shared.Next(1_000_000, 9_999_999)}-1",
            ["errorCode"] = errorCode,
            ["errorMessage"] = errorMessage,
        });

    private static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonObject body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
