using System.Diagnostics;
using System.Globalization;
using System.Text;
using Aspire.Hosting.Testing;
using MpesaAspire.TestSupport;
using MySqlConnector;

// How fast, how fresh and how safe is delivery to Telegram? The real system through the AppHost, a
// throw-away MariaDB and a local fake Bot API that answers at once. Three scenarios:
//   rate      receipts queued for 1,000 distinct chats: messages/s reaching the Bot API
//   fresh     100,000 old notifications queued: how long a new payment's admin message and receipt take
//   replicas  2 gateways + 2 notification services, 20 % of sends answered 429: exactly one receipt per
//             payment, every payment reaches the admin, and the smallest gap between two messages to a chat
var scenario = StringOption(args, "--scenario", "rate");
const long AdminChatId = 700_000_001;
const long PayerChatBase = 900_000_000;
Console.WriteLine($"scenario: {scenario}, machine: {Environment.ProcessorCount} cores");

using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(25));
await using var telegram = await FakeTelegramBotApi.StartAsync(timeout.Token);
var replicas = scenario == "replicas" ? 2 : 1;
var dataDirectory = Directory.CreateTempSubdirectory("mpesa-delivery-bench-").FullName;
try
{
    await using var app = await BenchSystem.StartAsync(
        dataDirectory,
        telegram.BaseUrl,
        AdminChatId,
        [$"--CallbackGateway:Replicas={replicas}", $"--NotificationService:Replicas={replicas}"],
        timeout.Token);

    var connectionString = await app.GetConnectionStringAsync("mpesadb", timeout.Token)
        ?? throw new InvalidOperationException("The AppHost gave no connection string for mpesadb.");
    using var gateway = app.CreateHttpClient("callback-gateway", "http");
    gateway.Timeout = TimeSpan.FromSeconds(30);

    switch (scenario)
    {
        case "rate":
            await RateAsync(IntOption(args, "--messages", 1500), IntOption(args, "--chats", 1000));
            break;
        case "fresh":
            await FreshAsync(IntOption(args, "--backlog", 100_000), IntOption(args, "--probes", 10));
            break;
        case "replicas":
            await ReplicasAsync(IntOption(args, "--payments", 200));
            break;
        default:
            throw new ArgumentException($"--scenario {scenario}: rate, fresh or replicas");
    }

    async Task RateAsync(int messages, int chats)
    {
        Console.WriteLine($"queueing {messages} receipts for {chats} distinct chats directly in MySQL");
        await SeedAsync(messages, i => [("UserReceipt", PayerChatBase + (i % chats))], TimeSpan.Zero);
        var started = Stopwatch.StartNew();
        await WaitAsync(() => telegram.Messages.Count >= messages, TimeSpan.FromMinutes(10));
        var times = telegram.Messages.Select(m => m.ReceivedAt).Order().ToList();
        var span = (times[^1] - times[0]).TotalSeconds;
        var middle = times.Skip(times.Count / 10).Take(times.Count * 8 / 10).ToList();
        var middleSpan = (middle[^1] - middle[0]).TotalSeconds;
        Console.WriteLine($"delivered {times.Count} in {started.Elapsed.TotalSeconds:0.0} s after queueing; first to last message {span:0.0} s");
        Console.WriteLine($"rate first→last: {(times.Count - 1) / span:0.0} messages/s; middle 80 %: {(middle.Count - 1) / middleSpan:0.0} messages/s");
        Console.WriteLine($"sendMessage calls: {telegram.SendMessageCalls}, accepted: {telegram.Messages.Count}");
    }

    async Task FreshAsync(int backlog, int probes)
    {
        // Half admin messages, half receipts for 1,000 chats, queued an hour ago.
        Console.WriteLine($"queueing {backlog} old notifications (admin + receipt per payment, 1,000 chats) directly in MySQL");
        await SeedAsync(backlog / 2, i => [("AdminSuccess", null), ("UserReceipt", PayerChatBase + (i % 1000))], TimeSpan.FromHours(1));
        await RegisterPayersAsync(800_000_000, 5000, probes);
        Console.WriteLine("backlog draining for 15 s before the first new payment");
        await Task.Delay(TimeSpan.FromSeconds(15), timeout.Token);

        List<(double Receipt, double Admin)> results = [];
        for (var i = 0; i < probes; i++)
        {
            var checkout = $"ws_CO_FR{i:00}{Guid.NewGuid():N}"[..20];
            var chat = 800_000_000L + i;
            var posted = DateTimeOffset.UtcNow;
            await PostAsync(checkout, Phone(5000 + i));
            await WaitAsync(
                () => telegram.Messages.Any(m => m.ChatId == chat) && telegram.Messages.Any(m => m.ChatId == AdminChatId && m.Text.Contains(checkout, StringComparison.Ordinal)),
                TimeSpan.FromMinutes(2));
            var receipt = telegram.Messages.First(m => m.ChatId == chat).ReceivedAt - posted;
            var admin = telegram.Messages.First(m => m.ChatId == AdminChatId && m.Text.Contains(checkout, StringComparison.Ordinal)).ReceivedAt - posted;
            results.Add((receipt.TotalSeconds, admin.TotalSeconds));
            Console.WriteLine($"new payment {i + 1}: receipt after {receipt.TotalSeconds:0.00} s, admin message after {admin.TotalSeconds:0.00} s");
            await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token);
        }

        Console.WriteLine($"receipt: max {results.Max(r => r.Receipt):0.00} s, mean {results.Average(r => r.Receipt):0.00} s; admin: max {results.Max(r => r.Admin):0.00} s, mean {results.Average(r => r.Admin):0.00} s");
        Console.WriteLine($"backlog still queued: {await ScalarAsync("SELECT COUNT(*) FROM notification_outbox WHERE status = 'Pending'")}; messages accepted so far: {telegram.Messages.Count}");
    }

    async Task ReplicasAsync(int payments)
    {
        telegram.TooManyRequestsRatio = 0.2;
        telegram.RetryAfterSeconds = 1;
        await RegisterPayersAsync(PayerChatBase, 0, payments);
        var checkouts = Enumerable.Range(0, payments).Select(i => $"ws_CO_RP{i:000}{Guid.NewGuid():N}"[..20]).ToList();
        Console.WriteLine($"posting {payments} payments (distinct payers) to 2 gateways; fake Bot API answers 20 % with 429");
        var started = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, payments), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = timeout.Token }, async (i, _) =>
            await PostAsync(checkouts[i], Phone(i)));
        Console.WriteLine($"posted in {started.Elapsed.TotalSeconds:0.0} s");

        bool AllThere() =>
            Enumerable.Range(0, payments).All(i => telegram.Messages.Any(m => m.ChatId == PayerChatBase + i))
            && checkouts.All(c => telegram.Messages.Any(m => m.ChatId == AdminChatId && m.Text.Contains(c, StringComparison.Ordinal)));
        await WaitAsync(AllThere, TimeSpan.FromMinutes(10));
        Console.WriteLine($"every payer and the admin reached after {started.Elapsed.TotalSeconds:0.0} s; watching 20 s more for duplicates");
        await Task.Delay(TimeSpan.FromSeconds(20), timeout.Token);

        var messages = telegram.Messages;
        var receiptsPerPayer = Enumerable.Range(0, payments).Select(i => messages.Count(m => m.ChatId == PayerChatBase + i)).ToList();
        var adminMentions = checkouts.Select(c => messages.Count(m => m.ChatId == AdminChatId && m.Text.Contains(c, StringComparison.Ordinal))).ToList();
        var smallestGap = messages.GroupBy(m => m.ChatId)
            .Select(g => g.Select(m => m.ReceivedAt).Order().ToList())
            .Where(t => t.Count > 1)
            .Select(t => t.Zip(t.Skip(1), (a, b) => (b - a).TotalSeconds).Min())
            .DefaultIfEmpty(double.NaN)
            .Min();
        var adminTimes = messages.Where(m => m.ChatId == AdminChatId).Select(m => m.ReceivedAt).Order().ToList();
        var adminGap = adminTimes.Count > 1 ? adminTimes.Zip(adminTimes.Skip(1), (a, b) => (b - a).TotalSeconds).Min() : double.NaN;
        var busiestSecond = messages.GroupBy(m => m.ReceivedAt.ToUnixTimeSeconds()).Max(g => g.Count());
        Console.WriteLine($"receipts per payer: min {receiptsPerPayer.Min()}, max {receiptsPerPayer.Max()} (payments {payments})");
        Console.WriteLine($"payments mentioned to the admin: min {adminMentions.Min()}, max {adminMentions.Max()} times; admin messages {adminTimes.Count}");
        Console.WriteLine($"smallest gap between two messages to one chat: {smallestGap:0.000} s (admin chat: {adminGap:0.000} s); most messages in one wall-clock second: {busiestSecond}");
        Console.WriteLine($"sendMessage calls: {telegram.SendMessageCalls}, accepted: {messages.Count}, refused with 429: {telegram.SendMessageCalls - messages.Count}");
        Console.WriteLine($"outbox: {await ScalarAsync("SELECT COUNT(*) FROM notification_outbox WHERE status = 'Delivered'")} delivered, {await ScalarAsync("SELECT COUNT(*) FROM notification_outbox WHERE status <> 'Delivered'")} not");
    }

    // Transactions and their notifications, inserted 1,000 rows at a time.
    async Task SeedAsync(int transactions, Func<int, (string Kind, long? ChatId)[]> notifications, TimeSpan age)
    {
        var started = Stopwatch.StartNew();
        var queuedAt = DateTime.UtcNow - age;
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(timeout.Token);
        var firstId = Convert.ToInt64(await ScalarAsync("SELECT COALESCE(MAX(id), 0) + 1 FROM transactions"), CultureInfo.InvariantCulture);
        const int Batch = 1000;
        for (var start = 0; start < transactions; start += Batch)
        {
            var count = Math.Min(Batch, transactions - start);
            var sql = new StringBuilder("INSERT INTO transactions (id, checkout_request_id, merchant_request_id, result_code, result_desc, amount, mpesa_receipt_number, phone_number, transaction_date, status) VALUES ");
            sql.AppendJoin(',', Enumerable.Range(start, count).Select(i =>
                $"({firstId + i}, 'ws_CO_SEED_{firstId + i}', 'seed-{firstId + i}', 0, 'The service request is processed successfully.', 100.00, 'SEED{firstId + i:000000}', '{Phone(i % 1000)}', '2026-01-15 10:30:00', 'Success')"));
            await ExecuteAsync(connection, sql.ToString());

            var outbox = new StringBuilder("INSERT INTO notification_outbox (transaction_id, kind, chat_id, status, attempts, next_attempt_at, created_at, armed_at) VALUES ");
            var at = queuedAt.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
            outbox.AppendJoin(',', Enumerable.Range(start, count).SelectMany(i => notifications(i).Select(n =>
                $"({firstId + i}, '{n.Kind}', {(n.ChatId is { } chat ? chat.ToString(CultureInfo.InvariantCulture) : "NULL")}, 'Pending', 0, '{at}', '{at}', '{at}')")));
            await ExecuteAsync(connection, outbox.ToString());
        }

        Console.WriteLine($"seeded {transactions} payments in {started.Elapsed.TotalSeconds:0.0} s");
    }

    // Payers firstChat + i with phone number firstPhone + i, each its own chat.
    async Task RegisterPayersAsync(long firstChat, int firstPhone, int count)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(timeout.Token);
        var sql = new StringBuilder("INSERT INTO users (telegram_chat_id, phone_number, first_name) VALUES ");
        sql.AppendJoin(',', Enumerable.Range(0, count).Select(i => $"({firstChat + i}, '{Phone(firstPhone + i)}', 'Bench')"));
        await ExecuteAsync(connection, sql.ToString());
    }

    async Task PostAsync(string checkoutRequestId, string phone)
    {
        var json = StkCallbackBodies.Success(checkoutRequestId, long.Parse(phone, CultureInfo.InvariantCulture), 1000m, "NLJ7RT61SV");
        using var response = await gateway.PostAsync("/mpesa/callback", new StringContent(json, Encoding.UTF8, "application/json"), timeout.Token);
        response.EnsureSuccessStatusCode();
    }

    async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(timeout.Token);
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(timeout.Token);
    }

    async Task ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(timeout.Token);
    }

    async Task WaitAsync(Func<bool> condition, TimeSpan limit)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        wait.CancelAfter(limit);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), wait.Token);
        }
    }
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

// Payer i's phone number.
static string Phone(int payer) => (254_720_000_000L + payer).ToString(CultureInfo.InvariantCulture);

static int IntOption(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static string StringOption(string[] args, string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
