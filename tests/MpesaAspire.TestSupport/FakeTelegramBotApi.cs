using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MpesaAspire.TestSupport;

/// <summary>
/// A local stand-in for the Telegram Bot API (<c>https://api.telegram.org</c>) speaking its wire
/// format on 127.0.0.1: <c>/bot{token}/getMe</c> and <c>/bot{token}/sendMessage</c> with Telegram's
/// envelopes, its HTML parse-mode rules and its 4096-character limit, plus knobs for the failures a
/// bot meets in production (429 flood control, blocked users, migrated groups, outages, latency).
/// Point a bot at it with <c>Telegram__ApiBaseUrl=</c><see cref="BaseUrl"/>; any token is accepted.
/// </summary>
public sealed class FakeTelegramBotApi : IAsyncDisposable
{
    /// <summary>Telegram's limit on a message's text after entity parsing.</summary>
    public const int MaxMessageLength = 4096;

    private const long BotId = 7_000_000_001;

    private readonly Lock _listening = new();
    private WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<FakeTelegramMessage> _messages = [];
    private readonly ConcurrentDictionary<long, string> _blockedChats = new();
    private readonly ConcurrentDictionary<long, long> _migratedChats = new();
    private readonly ConcurrentDictionary<long, bool> _missingChats = new();
    private readonly Dictionary<long, DateTimeOffset> _lastAcceptedByChat = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _isDown;
    private int _nextMessageId;
    private int _getMeCalls;
    private int _sendMessageCalls;
    private long _rateLimitedCalls;

    private FakeTelegramBotApi()
    {
        _app = null!;
    }

    /// <summary>http://127.0.0.1:&lt;port&gt; (no path): the value for the bot's API base URL.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The username getMe answers with (without the @).</summary>
    public string BotUsername { get; set; } = "mpesa_test_bot";

    /// <summary>Accepted sendMessage calls, oldest first.</summary>
    public IReadOnlyList<FakeTelegramMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public int GetMeCalls => Volatile.Read(ref _getMeCalls);

    /// <summary>Every sendMessage attempt, including refused and aborted ones.</summary>
    public int SendMessageCalls => Volatile.Read(ref _sendMessageCalls);

    /// <summary>
    /// 0..1: the fraction of sendMessage calls answered 429, deterministically (0.2 refuses every
    /// 5th call, 0.5 every 2nd, 1 all of them).
    /// </summary>
    public double TooManyRequestsRatio { get; set; }

    /// <summary>The <c>retry_after</c> a 429 carries, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Latency added to every call, before it is handled (a message is not accepted until it passes).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>
    /// How long a sendMessage's answer is held back after the message was accepted (and shown to the
    /// chat): a slow Bot API that still delivers. A client that gives up meanwhile gets no answer.
    /// </summary>
    public TimeSpan AnswerDelay { get; set; }

    /// <summary>
    /// True: Telegram is unreachable. The fake stops listening, so a connection is refused before any
    /// request leaves (the client knows nothing was sent); false listens again on the same port.
    /// </summary>
    public bool IsDown
    {
        get => _isDown;
        set
        {
            lock (_listening)
            {
                if (value == _isDown)
                {
                    return;
                }

                _isDown = value;
                if (value)
                {
                    _app.StopAsync().GetAwaiter().GetResult();
                    _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
                else
                {
                    _app = Listen(BaseUrl.Port);
                    _app.StartAsync().GetAwaiter().GetResult();
                }
            }
        }
    }

    /// <summary>
    /// True: a sendMessage is accepted (shown to the chat) and then its connection is reset before the
    /// answer: the client cannot know whether it was delivered.
    /// </summary>
    public bool ResetAfterAccepting { get; set; }

    /// <summary>
    /// When set, a sendMessage to a chat that accepted a message less than this long ago is
    /// answered 429, like Telegram's per-chat flood control. Off by default.
    /// </summary>
    public TimeSpan? EnforcedChatInterval { get; set; }

    public static async Task<FakeTelegramBotApi> StartAsync(CancellationToken cancellationToken = default)
    {
        // The empty builder reads no appsettings or environment, so nothing in the test's output
        // folder (a service's Kestrel endpoints, for example) can move the fake off its port.
        var fake = new FakeTelegramBotApi();
        fake._app = fake.Listen(port: 0);
        await fake._app.StartAsync(cancellationToken);

        var address = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address);
        return fake;
    }

    private WebApplication Listen(int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(HandleAsync);
        return app;
    }

    /// <summary>sendMessage to this chat answers 403 with <paramref name="description"/>.</summary>
    public void BlockChat(long chatId, string description = "Forbidden: bot was blocked by the user") =>
        _blockedChats[chatId] = description;

    /// <summary>sendMessage to <paramref name="fromChatId"/> answers 400 with <c>parameters.migrate_to_chat_id</c>.</summary>
    public void MigrateChat(long fromChatId, long toChatId) => _migratedChats[fromChatId] = toChatId;

    /// <summary>sendMessage to this chat answers 400 "Bad Request: chat not found".</summary>
    public void RejectChatNotFound(long chatId) => _missingChats[chatId] = true;

    /// <summary>
    /// Waits until <paramref name="count"/> accepted messages match <paramref name="predicate"/> and
    /// returns them; throws <see cref="TimeoutException"/> listing what arrived when they do not.
    /// </summary>
    public async Task<IReadOnlyList<FakeTelegramMessage>> WaitForMessagesAsync(
        Func<FakeTelegramMessage, bool> predicate,
        int count,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);

        while (true)
        {
            Task changed;
            List<FakeTelegramMessage> all;
            lock (_gate)
            {
                all = [.. _messages];
                changed = _changed.Task;
            }

            var matching = all.Where(predicate).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            try
            {
                await changed.WaitAsync(timeoutSource.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var seen = all.Count == 0
                    ? "none"
                    : string.Join(Environment.NewLine, all.Select(m => $"  #{m.MessageId} to {m.ChatId}: {m.Text.ReplaceLineEndings(" | ")}"));
                throw new TimeoutException(
                    $"Expected {count} matching Telegram message(s) within {timeout}, found {matching.Count}. " +
                    $"sendMessage calls: {SendMessageCalls}. Messages accepted:{Environment.NewLine}{seen}");
            }
        }
    }

    /// <summary>
    /// Forgets accepted messages, counters and chat rules (blocked, migrated, not found). The knobs
    /// (<see cref="TooManyRequestsRatio"/>, <see cref="RetryAfterSeconds"/>, <see cref="ResponseDelay"/>,
    /// <see cref="IsDown"/>, <see cref="EnforcedChatInterval"/>, <see cref="BotUsername"/>) keep their values.
    /// </summary>
    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
            _lastAcceptedByChat.Clear();
            Interlocked.Exchange(ref _getMeCalls, 0);
            Interlocked.Exchange(ref _sendMessageCalls, 0);
            Interlocked.Exchange(ref _rateLimitedCalls, 0);
        }

        _blockedChats.Clear();
        _migratedChats.Clear();
        _missingChats.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        WebApplication? app;
        lock (_listening)
        {
            app = _isDown ? null : _app;
            _isDown = true;
        }

        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var (method, isBotPath) = ParsePath(context.Request.Path.Value);
        if (string.Equals(method, "getMe", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _getMeCalls);
        }
        else if (string.Equals(method, "sendMessage", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _sendMessageCalls);
        }


        if (ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseDelay, context.RequestAborted);
        }

        if (!isBotPath)
        {
            await WriteErrorAsync(context, 404, "Not Found");
            return;
        }

        switch (method.ToLowerInvariant())
        {
            case "getme":
                await WriteResultAsync(context, BotUser());
                break;
            case "sendmessage":
                await HandleSendMessageAsync(context);
                break;
            default:
                await WriteErrorAsync(context, 404, "Not Found: method not found");
                break;
        }
    }

    private async Task HandleSendMessageAsync(HttpContext context)
    {
        var parameters = await ReadParametersAsync(context);
        if (!parameters.TryGetValue("chat_id", out var chatIdText) || !long.TryParse(chatIdText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId))
        {
            await WriteErrorAsync(context, 400, "Bad Request: chat_id is empty");
            return;
        }

        var calls = Interlocked.Increment(ref _rateLimitedCalls);
        var ratio = Math.Clamp(TooManyRequestsRatio, 0, 1);
        if (ratio > 0 && Math.Floor((calls * ratio) + 1e-9) > Math.Floor(((calls - 1) * ratio) + 1e-9))
        {
            await WriteTooManyRequestsAsync(context);
            return;
        }

        if (_blockedChats.TryGetValue(chatId, out var blockedDescription))
        {
            await WriteErrorAsync(context, 403, blockedDescription);
            return;
        }

        if (_migratedChats.TryGetValue(chatId, out var newChatId))
        {
            await WriteErrorAsync(
                context,
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                new JsonObject { ["migrate_to_chat_id"] = newChatId });
            return;
        }

        if (_missingChats.ContainsKey(chatId))
        {
            await WriteErrorAsync(context, 400, "Bad Request: chat not found");
            return;
        }

        parameters.TryGetValue("text", out var rawText);
        parameters.TryGetValue("parse_mode", out var parseMode);
        rawText ??= string.Empty;

        string displayed;
        if (string.Equals(parseMode, "html", StringComparison.OrdinalIgnoreCase))
        {
            var (text, error) = FakeTelegramHtml.Parse(rawText);
            if (error is not null)
            {
                await WriteErrorAsync(context, 400, "Bad Request: can't parse entities: " + error);
                return;
            }

            displayed = text!;
        }
        else
        {
            displayed = rawText;
        }

        if (string.IsNullOrWhiteSpace(displayed))
        {
            await WriteErrorAsync(context, 400, "Bad Request: message text is empty");
            return;
        }

        if (displayed.Length > MaxMessageLength)
        {
            await WriteErrorAsync(context, 400, "Bad Request: message is too long");
            return;
        }

        FakeTelegramMessage message;
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            if (EnforcedChatInterval is { } interval
                && _lastAcceptedByChat.TryGetValue(chatId, out var last)
                && now - last < interval)
            {
                message = null!;
            }
            else
            {
                _lastAcceptedByChat[chatId] = now;
                message = new FakeTelegramMessage(chatId, displayed, rawText, parseMode, ++_nextMessageId, now)
                {
                    TraceParent = context.Request.Headers.TraceParent.ToString() is { Length: > 0 } traceParent ? traceParent : null,
                };
                _messages.Add(message);
                var changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed.TrySetResult();
            }
        }

        if (message is null)
        {
            await WriteTooManyRequestsAsync(context);
            return;
        }

        if (ResetAfterAccepting)
        {
            context.Abort();
            return;
        }

        if (AnswerDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(AnswerDelay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up waiting: the message stays delivered, as on the real Bot API.
                return;
            }
        }

        await WriteResultAsync(context, new JsonObject
        {
            ["message_id"] = message.MessageId,
            ["from"] = BotUser(),
            ["chat"] = ChatFor(chatId),
            ["date"] = message.ReceivedAt.ToUnixTimeSeconds(),
            ["text"] = displayed,
        });
    }

    private JsonObject BotUser() => new()
    {
        ["id"] = BotId,
        ["is_bot"] = true,
        ["first_name"] = "M-Pesa Test Bot",
        ["username"] = BotUsername,
        ["can_join_groups"] = true,
        ["can_read_all_group_messages"] = false,
        ["supports_inline_queries"] = false,
    };

    private static JsonObject ChatFor(long chatId) => chatId switch
    {
        > 0 => new JsonObject { ["id"] = chatId, ["type"] = "private", ["first_name"] = "Customer" },
        <= -1_000_000_000_000 => new JsonObject { ["id"] = chatId, ["type"] = "supergroup", ["title"] = "Payments" },
        _ => new JsonObject { ["id"] = chatId, ["type"] = "group", ["title"] = "Payments" },
    };

    private static (string Method, bool IsBotPath) ParsePath(string? path)
    {
        // /bot<token>/<method>
        var segments = (path ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 2 && segments[0].StartsWith("bot", StringComparison.Ordinal) && segments[0].Length > 3
            ? (segments[1], true)
            : (segments.LastOrDefault() ?? string.Empty, false);
    }

    private static async Task<Dictionary<string, string>> ReadParametersAsync(HttpContext context)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Query)
        {
            values[key] = value.ToString();
        }

        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            foreach (var (key, value) in form)
            {
                values[key] = value.ToString();
            }
        }
        else if (context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var json = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in json.RootElement.EnumerateObject())
                {
                    values[property.Name] = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()!
                        : property.Value.GetRawText();
                }
            }
        }

        return values;
    }

    private Task WriteTooManyRequestsAsync(HttpContext context)
    {
        var retryAfter = RetryAfterSeconds;
        return WriteErrorAsync(
            context,
            429,
            $"Too Many Requests: retry after {retryAfter}",
            new JsonObject { ["retry_after"] = retryAfter });
    }

    private static Task WriteResultAsync(HttpContext context, JsonNode result) =>
        WriteJsonAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = result });

    private static Task WriteErrorAsync(HttpContext context, int errorCode, string description, JsonObject? parameters = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = errorCode, ["description"] = description };
        if (parameters is not null)
        {
            body["parameters"] = parameters;
        }

        return WriteJsonAsync(context, errorCode, body);
    }

    private static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonObject body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
