using System.Net.Http.Json;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using MpesaAspire.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace MpesaAspire.IntegrationTests;

/// <summary>
/// The whole system, started once per test run through the real AppHost: a throw-away MariaDB data
/// directory, the three services, and local fakes of the Telegram Bot API and of Daraja that the
/// tests control. Reconciliation runs on a short schedule so a lost callback is found in seconds.
/// Daraja is configured, so successes are verified by STK Push Query (the product's default): the
/// fake Daraja confirms the invented CheckoutRequestIDs tests post successes for, as Safaricom would
/// for real payments, and knows the pushes started through it.
/// </summary>
public class MpesaSystemFixture : IAsyncLifetime
{
    /// <summary>The shop admin's chat (a private chat with the bot).</summary>
    public const long AdminChatId = 700_000_001;

    /// <summary>The credential the services require on every gRPC call; the fixture sets it so tests can call them.</summary>
    public const string InternalApiToken = "integration-test-internal-api-token";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private string _dataDirectory = null!;
    private string? _connectionString;

    public DistributedApplication App { get; private set; } = null!;

    public FakeTelegramBotApi Telegram { get; private set; } = null!;

    /// <summary>Daraja: OAuth, pushes (callbacks posted to the gateway), queries.</summary>
    public FakeDarajaApi Daraja { get; private set; } = null!;

    /// <summary>The gateway's public HTTP endpoint.</summary>
    public HttpClient Gateway { get; private set; } = null!;

    /// <summary>The gateway's spool file (SQLite), in the run's throw-away folder.</summary>
    public string SpoolPath => Path.Combine(_dataDirectory, "gateway", "callback-spool.db");

    /// <summary>Settings a fixture of another configuration adds (<c>--Key=Value</c>).</summary>
    protected virtual IEnumerable<string> ExtraSettings => [];

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        Telegram = await FakeTelegramBotApi.StartAsync(timeout.Token);
        Daraja = await FakeDarajaApi.StartAsync(cancellationToken: timeout.Token);
        Daraja.UnknownCheckoutScenario = FakeStkScenario.Success;
        _dataDirectory = Directory.CreateTempSubdirectory("mpesa-it-").FullName;

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MpesaAspire_AppHost>(
            [
                $"--MySql:DataDirectory={Path.Combine(_dataDirectory, "mysql")}",
                "--MySql:Provider=local",
                "--Parameters:telegram-bot-token=123456:integration-test-token",
                $"--Parameters:telegram-admin-chat-id={AdminChatId}",
                $"--Parameters:telegram-api-url={Telegram.BaseUrl}",
                $"--Parameters:internal-api-token={InternalApiToken}",
                // Every test posts from 127.0.0.1: no per-source limit on test callbacks (tested in-process).
                "--CallbackLimits:PermitLimitPerSource=1000000",
                $"--CallbackGateway:SpoolPath={SpoolPath}",
                $"--Parameters:daraja-consumer-key={FakeDarajaApi.DefaultConsumerKey}",
                $"--Parameters:daraja-consumer-secret={FakeDarajaApi.DefaultConsumerSecret}",
                $"--Parameters:daraja-passkey={FakeDarajaApi.SandboxPasskey}",
                $"--Daraja:BaseUrl={Daraja.BaseUrl}",
                // What Safaricom would be told; the fake posts to the gateway's real address instead (known after start).
                "--Daraja:CallbackUrl=https://shop.example/payments/callback",
                "--Reconciliation:FirstQueryAfter=00:00:03",
                "--Reconciliation:FirstGap=00:00:02",
                "--Reconciliation:MaxGap=00:00:05",
                "--Reconciliation:PollInterval=00:00:01",
                "--Reconciliation:QueriesPerSecond=20",
                .. ExtraSettings,
            ],
            timeout.Token);

        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        // The gateway no longer waits for its peers; the tests start once everything is up.
        await App.ResourceNotifications.WaitForResourceHealthyAsync("transaction-service", timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("notification-service", timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("callback-gateway", timeout.Token);
        Gateway = App.CreateHttpClient("callback-gateway", "http");
        Gateway.Timeout = TimeSpan.FromSeconds(60);
        Daraja.CallbackTarget = new UriBuilder(new Uri(Gateway.BaseAddress!, "/mpesa/callback")) { Host = "127.0.0.1" }.Uri;
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (Telegram is not null)
        {
            await Telegram.DisposeAsync();
        }

        if (Daraja is not null)
        {
            await Daraja.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The server may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>A CheckoutRequestID no other test uses.</summary>
    public static string NewCheckoutRequestId() => $"ws_CO_IT_{Guid.NewGuid():N}";

    public Task<HttpResponseMessage> PostCallbackAsync(string json, CancellationToken cancellationToken = default) =>
        Gateway.PostAsync("/mpesa/callback", new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>Builds an STK callback body as Safaricom sends it.</summary>
    public static string StkCallback(
        string checkoutRequestId, object resultCode, string? resultDesc, decimal? amount = null,
        string? receipt = null, long? phone = null, long? transactionDate = null)
    {
        var callback = new Dictionary<string, object?>
        {
            ["MerchantRequestID"] = "29115-34620561-1",
            ["CheckoutRequestID"] = checkoutRequestId,
            ["ResultCode"] = resultCode,
            ["ResultDesc"] = resultDesc,
        };
        if (amount is not null)
        {
            callback["CallbackMetadata"] = new
            {
                Item = new object[]
                {
                    new { Name = "Amount", Value = amount },
                    new { Name = "MpesaReceiptNumber", Value = receipt },
                    new { Name = "Balance" },
                    new { Name = "TransactionDate", Value = transactionDate ?? 20240115103015 },
                    new { Name = "PhoneNumber", Value = phone ?? 254708374149 },
                },
            };
        }

        return System.Text.Json.JsonSerializer.Serialize(new { Body = new { stkCallback = callback } });
    }

    /// <summary>
    /// The transaction service's gRPC contract, as a system that starts STK pushes uses it: every
    /// call carries the internal credential (pass <paramref name="token"/> to call with another one,
    /// or an empty string to call with none).
    /// </summary>
    public Transactions.V1.Transactions.TransactionsClient TransactionsClient(string? token = InternalApiToken) =>
        new(GrpcCallInvoker("transaction-service", token));

    /// <summary>A call invoker for one service's gRPC endpoint that sends <paramref name="token"/> as the bearer credential.</summary>
    public Grpc.Core.CallInvoker GrpcCallInvoker(string resourceName, string? token = InternalApiToken)
    {
        var channel = Grpc.Net.Client.GrpcChannel.ForAddress(App.GetEndpoint(resourceName, "grpc"));
        return string.IsNullOrEmpty(token)
            ? channel.CreateCallInvoker()
            : Grpc.Core.Interceptors.CallInvokerExtensions.Intercept(channel.CreateCallInvoker(), metadata =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return metadata;
            });
    }

    /// <summary>Registers a pending payment of <paramref name="amount"/> from <paramref name="phone"/>, as a system that started its push would.</summary>
    public Task RegisterPendingAsync(string checkoutRequestId, string phone, string amount, long chatId) =>
        TransactionsClient().RegisterPendingTransactionAsync(new Transactions.V1.RegisterPendingTransactionRequest
        {
            CheckoutRequestId = checkoutRequestId,
            MerchantRequestId = "29115-34620561-1",
            PhoneNumber = phone,
            Amount = amount,
            AccountReference = "Order-1",
            TelegramChatId = chatId,
        }).ResponseAsync;

    /// <summary>Registers a Telegram user the way the shop's bot does: a row in the product's users table.</summary>
    public async Task RegisterTelegramUserAsync(long chatId, string phoneNumber, string firstName)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO users (telegram_chat_id, phone_number, telegram_username, first_name, last_name)
            VALUES (@chat, @phone, @username, @first, 'Tester')
            """;
        command.Parameters.AddWithValue("@chat", chatId);
        command.Parameters.AddWithValue("@phone", phoneNumber);
        command.Parameters.AddWithValue("@username", "user" + chatId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("@first", firstName);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Waits until the outbox holds nothing still to deliver, so a test's own messages are not
    /// batched with an earlier test's backlog.
    /// </summary>
    public async Task WaitForOutboxDrainedAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (await ScalarAsync<long>("SELECT COUNT(*) FROM notification_outbox WHERE status = 'Pending'") > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellation.Token);
        }
    }

    /// <summary>A phone number and chat id no other test uses.</summary>
    public static (string Phone, long ChatId) NewPayer()
    {
        var n = Interlocked.Increment(ref _payers);
        return ($"25471{n:D7}", 800_000_000 + n);
    }

    private static int _payers;

    public async Task<MySqlConnection> OpenDatabaseAsync(CancellationToken cancellationToken = default)
    {
        _connectionString ??= await App.GetConnectionStringAsync("mpesadb", cancellationToken)
            ?? throw new InvalidOperationException("The AppHost gave no connection string for mpesadb.");
        var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Waits until the transaction's status is <paramref name="status"/> and returns its row. A success is
    /// held until STK Push Query confirms it, so it becomes Success shortly after the callback is answered.
    /// </summary>
    public async Task<Dictionary<string, object?>> WaitForStatusAsync(string checkoutRequestId, string status, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        Dictionary<string, object?>? row = null;
        while ((row = await TransactionRowAsync(checkoutRequestId)) is null || (string?)row["status"] != status)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Transaction {checkoutRequestId} did not become {status}; last seen: {row?["status"] ?? "no row"}.");
            }
        }

        return row;
    }

    public async Task<Dictionary<string, object?>?> TransactionRowAsync(string checkoutRequestId)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM transactions WHERE checkout_request_id = @id";
        command.Parameters.AddWithValue("@id", checkoutRequestId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return row;
    }

    /// <summary>Reads the gateway's JSON answer.</summary>
    public static Task<System.Text.Json.JsonElement> JsonAsync(HttpResponseMessage response) =>
        response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

    /// <summary>Stops and starts one resource, as an operator's stop and start in the dashboard do.</summary>
    public async Task RestartAsync(string resourceName, CancellationToken cancellationToken)
    {
        await StopAsync(resourceName, cancellationToken);
        await StartAsync(resourceName, cancellationToken);
    }

    /// <summary>Stops one resource, as an operator's stop in the dashboard does, and waits until it is gone.</summary>
    public async Task StopAsync(string resourceName, CancellationToken cancellationToken)
    {
        var commands = App.Services.GetRequiredService<ResourceCommandService>();

        // The orchestrator stops a project through `dotnet run`, which does not pass the signal on:
        // after about 10 s it kills the process, and the stop command may then report a failure and
        // leave the state "Unknown". Either way the old process is gone and the resource can start.
        await commands.ExecuteCommandAsync(resourceName, KnownResourceCommands.StopCommand, cancellationToken);
        await ResourceProcesses.WaitForStoppedAsync(App, resourceName, cancellationToken);
    }

    /// <summary>Crashes one resource (SIGKILL: no shutdown code runs) and waits until it is gone.</summary>
    public Task KillAsync(string resourceName, CancellationToken cancellationToken) =>
        ResourceProcesses.KillAsync(App, resourceName, cancellationToken);

    /// <summary>Starts a stopped resource again and waits until it is healthy.</summary>
    public async Task StartAsync(string resourceName, CancellationToken cancellationToken)
    {
        var commands = App.Services.GetRequiredService<ResourceCommandService>();
        var start = await commands.ExecuteCommandAsync(resourceName, KnownResourceCommands.StartCommand, cancellationToken);
        Assert.True(start.Success, $"Starting {resourceName} again failed: {start.Message}");
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, cancellationToken);
    }
}
