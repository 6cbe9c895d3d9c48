using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using MpesaAspire.TestSupport;
using MySqlConnector;

namespace MpesaAspire.FaultSuite;

/// <summary>
/// The real system, started once through the AppHost (throw-away MariaDB data directory, local fake
/// Telegram Bot API), and the means to hurt it: stop MySQL, SIGKILL a service, cut Telegram off.
/// It measures from outside only (HTTP answers, rows in MySQL, messages the fake Telegram accepted),
/// so it measures whatever design the services have inside.
/// </summary>
public sealed class FaultSystem : IAsyncDisposable
{
    public const long AdminChatId = 700_000_001;

    private readonly DistributedApplication _app;
    private readonly FakeTelegramBotApi _telegram;
    private readonly string _dataDirectory;
    private readonly string _connectionString;
    private readonly HttpClient _gateway;
    private int _nextPayer;

    private FaultSystem(DistributedApplication app, FakeTelegramBotApi telegram, string dataDirectory, string connectionString)
    {
        _app = app;
        _telegram = telegram;
        _dataDirectory = dataDirectory;
        _connectionString = connectionString;
        _gateway = app.CreateHttpClient("callback-gateway", "http");
        _gateway.Timeout = TimeSpan.FromSeconds(15);
    }

    /// <summary>Where progress goes (the console for the command, the test output for the test).</summary>
    public Action<string> Progress { get; set; } = _ => { };

    public static async Task<FaultSystem> StartAsync(CancellationToken cancellationToken)
    {
        var telegram = await FakeTelegramBotApi.StartAsync(cancellationToken);
        var dataDirectory = Directory.CreateTempSubdirectory("mpesa-faults-").FullName;
        var app = await BenchSystem.StartAsync(dataDirectory, telegram.BaseUrl, AdminChatId, [], cancellationToken);

        var connectionString = await app.GetConnectionStringAsync("mpesadb", cancellationToken)
            ?? throw new InvalidOperationException("The AppHost gave no connection string for mpesadb.");
        return new FaultSystem(app, telegram, dataDirectory, connectionString);
    }

    /// <summary>Posts callbacks steadily, injects <paramref name="fault"/>, lifts it, and counts.</summary>
    public async Task<FaultReport> RunAsync(Fault fault, FaultSuiteOptions options, CancellationToken cancellationToken)
    {
        var payers = await RegisterPayersAsync(options.PayersPerFault(fault), cancellationToken);
        var tag = $"ws_CO_FAULT_{fault}_{Guid.NewGuid():N}"[..40];
        var posts = new ConcurrentBag<Post>();
        using var loadStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var load = RunLoadAsync(tag, payers, options.CallbacksPerSecond, posts, loadStop.Token);

        Progress($"{fault}: load for {options.LoadBefore.TotalSeconds:0} s");
        await Task.Delay(options.LoadBefore, cancellationToken);
        Progress($"{fault}: injecting for {options.Downtime(fault).TotalSeconds:0} s");
        await InjectAsync(fault, options.Downtime(fault), cancellationToken);
        Progress($"{fault}: lifted; load for {options.LoadAfter.TotalSeconds:0} s more");
        await Task.Delay(options.LoadAfter, cancellationToken);
        await loadStop.CancelAsync();
        var sent = await load;

        var settling = Stopwatch.StartNew();
        var acknowledged = sent.Where(p => p.Acknowledged).ToArray();
        Progress($"{fault}: {sent.Count} sent, {acknowledged.Length} acknowledged; waiting for them to be recorded and receipted");
        using var settleTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        settleTimeout.CancelAfter(options.SettleTimeout);
        var counts = await CountAsync(tag, sent, cancellationToken);
        while (!settleTimeout.IsCancellationRequested && !counts.Settled(acknowledged))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            counts = await CountAsync(tag, sent, cancellationToken);
        }

        var settleSeconds = settling.Elapsed.TotalSeconds;
        await Task.Delay(options.DuplicateWatch, cancellationToken);
        counts = await CountAsync(tag, sent, cancellationToken);

        return new FaultReport(
            fault,
            sent.Count,
            acknowledged.Length,
            counts.Recorded.Count,
            acknowledged.Count(p => !counts.Recorded.Contains(p.CheckoutRequestId)),
            sent.Count(p => counts.Recorded.Contains(p.CheckoutRequestId) && counts.ReceiptsByChat.GetValueOrDefault(p.Payer.ChatId) > 0),
            sent.Count(p => counts.Recorded.Contains(p.CheckoutRequestId) && counts.ReceiptsByChat.GetValueOrDefault(p.Payer.ChatId) == 0
                && counts.Uncertain.Contains(p.CheckoutRequestId)),
            counts.ReceiptsByChat.Values.Sum(n => Math.Max(0, n - 1)),
            settleSeconds);
    }

    public async ValueTask DisposeAsync()
    {
        _gateway.Dispose();
        await _app.DisposeAsync();
        await _telegram.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The server may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }

    private async Task InjectAsync(Fault fault, TimeSpan downtime, CancellationToken cancellationToken)
    {
        switch (fault)
        {
            case Fault.MySqlStopped:
                await StopAsync("mysql", cancellationToken);
                await Task.Delay(downtime, cancellationToken);
                await StartAsync("mysql", cancellationToken);
                break;
            case Fault.TransactionServiceKilled:
                await KillAndStartAsync("transaction-service", downtime, cancellationToken);
                break;
            case Fault.NotificationServiceKilled:
                await KillAndStartAsync("notification-service", downtime, cancellationToken);
                break;
            case Fault.GatewayKilled:
                await KillAndStartAsync("callback-gateway", downtime, cancellationToken);
                break;
            case Fault.TelegramUnreachable:
                _telegram.IsDown = true;
                await Task.Delay(downtime, cancellationToken);
                _telegram.IsDown = false;
                break;
            case Fault.TelegramThrottling:
                _telegram.TooManyRequestsRatio = 0.2;
                await Task.Delay(downtime, cancellationToken);
                _telegram.TooManyRequestsRatio = 0;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    private async Task StopAsync(string resource, CancellationToken cancellationToken)
    {
        var commands = _app.Services.GetRequiredService<ResourceCommandService>();
        await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand, cancellationToken);
        await ResourceProcesses.WaitForStoppedAsync(_app, resource, cancellationToken);
    }

    private async Task StartAsync(string resource, CancellationToken cancellationToken)
    {
        var commands = _app.Services.GetRequiredService<ResourceCommandService>();
        var start = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, cancellationToken);
        if (!start.Success)
        {
            throw new InvalidOperationException($"Starting {resource} again failed: {start.Message}");
        }

        await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellationToken);
    }

    /// <summary>A crash (SIGKILL, no shutdown code runs), then a start after the downtime.</summary>
    private async Task KillAndStartAsync(string resource, TimeSpan downtime, CancellationToken cancellationToken)
    {
        await ResourceProcesses.KillAsync(_app, resource, cancellationToken);
        await Task.Delay(downtime, cancellationToken);
        await StartAsync(resource, cancellationToken);
    }

    /// <summary>Posts one success callback per tick, each without waiting for the previous answer.</summary>
    private async Task<IReadOnlyList<Post>> RunLoadAsync(
        string tag, IReadOnlyList<Payer> payers, int perSecond, ConcurrentBag<Post> posts, CancellationToken stop)
    {
        var inFlight = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond));
        var n = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop) && n < payers.Count)
            {
                var payer = payers[n];
                var id = $"{tag}_{n++:D5}";
                inFlight.Add(Task.Run(async () => posts.Add(new Post(id, payer, await PostAsync(id, payer))), CancellationToken.None));
            }
        }
        catch (OperationCanceledException)
        {
            // The load's time is up.
        }

        await Task.WhenAll(inFlight);
        return [.. posts];
    }

    /// <summary>True when the gateway answered 200 with ResultCode 0.</summary>
    private async Task<bool> PostAsync(string checkoutRequestId, Payer payer)
    {
        var json = StkCallbackBodies.Success(
            checkoutRequestId, long.Parse(payer.Phone, CultureInfo.InvariantCulture), 100m, "FS" + checkoutRequestId[^8..].ToUpperInvariant());
        try
        {
            using var response = await _gateway.PostAsync(
                "/mpesa/callback", new StringContent(json, Encoding.UTF8, "application/json"), CancellationToken.None);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            return answer.TryGetProperty("ResultCode", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() == 0;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            // Refused, reset or unanswered: Safaricom would not consider it delivered.
            return false;
        }
    }

    /// <summary>Registers payers as the shop's bot does (rows in users), so every success implies a receipt.</summary>
    private async Task<IReadOnlyList<Payer>> RegisterPayersAsync(int count, CancellationToken cancellationToken)
    {
        var payers = Enumerable.Range(0, count).Select(_ =>
        {
            var n = Interlocked.Increment(ref _nextPayer);
            return new Payer((254_730_000_000L + n).ToString(CultureInfo.InvariantCulture), 950_000_000L + n);
        }).ToArray();

        await using var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var chunk in payers.Chunk(500))
        {
            await using var command = connection.CreateCommand();
            var values = new StringBuilder();
            for (var i = 0; i < chunk.Length; i++)
            {
                values.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"(@chat{i}, @phone{i}, 'Fault')");
                command.Parameters.AddWithValue($"@chat{i}", chunk[i].ChatId);
                command.Parameters.AddWithValue($"@phone{i}", chunk[i].Phone);
            }

            command.CommandText = $"INSERT INTO users (telegram_chat_id, phone_number, first_name) VALUES {values}";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return payers;
    }

    private async Task<Counts> CountAsync(string tag, IReadOnlyList<Post> sent, CancellationToken cancellationToken)
    {
        HashSet<string> recorded = [];
        HashSet<string> uncertain = [];
        try
        {
            await using var connection = new MySqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            recorded = await CheckoutIdsAsync(
                connection,
                "SELECT checkout_request_id FROM transactions WHERE checkout_request_id LIKE @tag AND status = 'Success'",
                tag,
                cancellationToken);
            uncertain = await CheckoutIdsAsync(
                connection,
                """
                SELECT t.checkout_request_id FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id
                WHERE t.checkout_request_id LIKE @tag AND o.kind = 'UserReceipt' AND o.status = 'Uncertain'
                """,
                tag,
                cancellationToken);
        }
        catch (MySqlException)
        {
            // MySQL not back yet: nothing counts as recorded for now.
        }

        var chats = sent.Select(p => p.Payer.ChatId).ToHashSet();
        var receipts = _telegram.Messages
            .Where(m => chats.Contains(m.ChatId))
            .GroupBy(m => m.ChatId)
            .ToDictionary(g => g.Key, g => g.Count());
        return new Counts(recorded, uncertain, receipts, sent);
    }

    private static async Task<HashSet<string>> CheckoutIdsAsync(MySqlConnection connection, string sql, string tag, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@tag", tag + "\\_%");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private sealed record Payer(string Phone, long ChatId);

    private sealed record Post(string CheckoutRequestId, Payer Payer, bool Acknowledged);

    private sealed record Counts(HashSet<string> Recorded, HashSet<string> Uncertain, Dictionary<long, int> ReceiptsByChat, IReadOnlyList<Post> Sent)
    {
        /// <summary>
        /// Everything acknowledged is recorded, and every recorded payment's payer has a receipt, or its
        /// receipt was set aside as uncertain for an operator.
        /// </summary>
        public bool Settled(IEnumerable<Post> acknowledged) =>
            acknowledged.All(p => Recorded.Contains(p.CheckoutRequestId))
            && Sent.Where(p => Recorded.Contains(p.CheckoutRequestId))
                .All(p => ReceiptsByChat.GetValueOrDefault(p.Payer.ChatId) > 0 || Uncertain.Contains(p.CheckoutRequestId));
    }
}
