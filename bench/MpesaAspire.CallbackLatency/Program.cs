using System.Diagnostics;
using System.Globalization;
using System.Text;
using Aspire.Hosting.Testing;
using MpesaAspire.TestSupport;
using MySqlConnector;

// How long does Safaricom wait for our answer, and does Telegram's latency leak into it?
// Runs the real system twice: once with a fake Telegram Bot API that answers at once, once with one
// that answers in 150 ms. Each run posts the same number of successful callbacks (each implying an
// admin message and a receipt) and reports the callback's response time as Safaricom sees it.
var callbacks = IntOption(args, "--callbacks", 300);
var concurrency = IntOption(args, "--concurrency", 1);
const long AdminChatId = 700_000_001;

Console.WriteLine($"callbacks per run: {callbacks}, concurrency: {concurrency}, machine: {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("telegram latency | p50 ms | p90 ms | p99 ms | max ms | mean ms | telegram messages sent during run");
Console.WriteLine("-----------------|--------|--------|--------|--------|---------|----------------------------------");
foreach (var telegramLatency in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(150) })
{
    var result = await RunAsync(telegramLatency, callbacks, concurrency);
    Console.WriteLine(
        $"{telegramLatency.TotalMilliseconds,13:0} ms | {result.P50,6:0.0} | {result.P90,6:0.0} | {result.P99,6:0.0} | {result.Max,6:0.0} | {result.Mean,7:0.0} | {result.MessagesSent}");
}

static async Task<Summary> RunAsync(TimeSpan telegramLatency, int callbacks, int concurrency)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
    await using var telegram = await FakeTelegramBotApi.StartAsync(timeout.Token);
    telegram.ResponseDelay = telegramLatency;
    var dataDirectory = Directory.CreateTempSubdirectory("mpesa-bench-").FullName;
    try
    {
        await using var app = await BenchSystem.StartAsync(dataDirectory, telegram.BaseUrl, AdminChatId, [], timeout.Token);
        using var gateway = app.CreateHttpClient("callback-gateway", "http");

        // Every payer is a registered Telegram user, so each success implies two messages.
        var connectionString = await app.GetConnectionStringAsync("mpesadb", timeout.Token);
        await using (var connection = new MySqlConnection(connectionString))
        {
            await connection.OpenAsync(timeout.Token);
            for (var i = 0; i < callbacks + 20; i++)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO users (telegram_chat_id, phone_number, first_name) VALUES (@chat, @phone, 'Bench')";
                command.Parameters.AddWithValue("@chat", 900_000_000L + i);
                command.Parameters.AddWithValue("@phone", Phone(i));
                await command.ExecuteNonQueryAsync(timeout.Token);
            }
        }

        // Warm-up: JIT, connection pools, gRPC channels.
        for (var i = 0; i < 20; i++)
        {
            await PostAsync(gateway, $"ws_CO_WARM_{Guid.NewGuid():N}", callbacks + i, timeout.Token);
        }

        var latencies = new double[callbacks];
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < callbacks)
            {
                latencies[i] = await PostAsync(gateway, $"ws_CO_BENCH_{Guid.NewGuid():N}", i, timeout.Token);
            }
        });
        await Task.WhenAll(workers);

        Array.Sort(latencies);
        return new Summary(
            Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99),
            latencies[^1], latencies.Average(), telegram.Messages.Count);
    }
    finally
    {
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The server may still hold a file for a moment.
        }
    }
}

static async Task<double> PostAsync(HttpClient gateway, string checkoutRequestId, int payer, CancellationToken cancellationToken)
{
    var json = StkCallbackBodies.Success(checkoutRequestId, long.Parse(Phone(payer), CultureInfo.InvariantCulture), 1000m, "NLJ7RT61SV");
    var started = Stopwatch.GetTimestamp();
    using var response = await gateway.PostAsync(
        "/mpesa/callback", new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    response.EnsureSuccessStatusCode();
    return elapsed;
}

static string Phone(int payer) => (254_720_000_000L + payer).ToString(CultureInfo.InvariantCulture);

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static int IntOption(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Summary(double P50, double P90, double P99, double Max, double Mean, int MessagesSent);
