using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MpesaAspire.CallbackGateway.Spool;
using MpesaAspire.TestSupport;

namespace MpesaAspire.CallbackGateway.Tests;

/// <summary>
/// Nothing lost: a callback the transaction service cannot record is kept on the gateway's disk,
/// acknowledged as received, and recorded once as soon as recording works again, even after a
/// restart of the gateway.
/// </summary>
public sealed class SpoolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ACallbackTheTransactionServiceCannotRecordIsAcknowledgedAndRecordedOnceWhenItIsBack()
    {
        using var gateway = new GatewayFactory();
        using var client = gateway.CreateClient();
        var checkoutRequestId = NewCheckoutRequestId();
        var receivedAt = gateway.Clock.GetUtcNow();

        using var response = await PostAsync(client, DarajaFixtures.ReadStkWithCheckoutId("seed-doc-success-1000", checkoutRequestId));

        await AssertAcknowledgedAsync(response, checkoutRequestId);
        var health = await HealthAsync(client);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal(1, health.GetProperty("spool").GetProperty("waiting").GetInt64());
        Assert.True(health.GetProperty("spool").GetProperty("writable").GetBoolean());

        gateway.Transactions.Mode = TransactionServiceMode.Recording;
        await ReplayUntilAsync(gateway, client, () => gateway.Transactions.TimesRecorded(checkoutRequestId) > 0);

        await WaitForSpoolAsync(client, waiting: 0);
        Assert.Equal(1, gateway.Transactions.TimesRecorded(checkoutRequestId));
        var recorded = gateway.Transactions.Recorded.Single(r => r.CheckoutRequestId == checkoutRequestId);
        Assert.Equal(receivedAt.ToUnixTimeMilliseconds(), recorded.ReceivedAt.ToDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Contains(checkoutRequestId, recorded.RawPayload, StringComparison.Ordinal);
        Assert.Equal("NLJ7RT61SV", recorded.MpesaReceiptNumber);
    }

    [Fact]
    public async Task KeptCallbacksSurviveARestartOfTheGatewayAndAreRecordedOldestFirst()
    {
        var folder = Directory.CreateTempSubdirectory("mpesa-spool-restart-").FullName;
        var spoolPath = Path.Combine(folder, "spool.db");
        string[] checkoutRequestIds = [NewCheckoutRequestId(), NewCheckoutRequestId(), NewCheckoutRequestId()];
        try
        {
            using (var before = new GatewayFactory(spoolPath))
            {
                using var client = before.CreateClient();
                foreach (var checkoutRequestId in checkoutRequestIds)
                {
                    using var response = await PostAsync(client, DarajaFixtures.ReadStkWithCheckoutId("expired-1019", checkoutRequestId));
                    await AssertAcknowledgedAsync(response, checkoutRequestId);
                }
            }

            using var after = new GatewayFactory(spoolPath);
            after.Transactions.Mode = TransactionServiceMode.Recording;
            using var restarted = after.CreateClient();

            await WaitForSpoolAsync(restarted, waiting: 0);
            Assert.Equal(checkoutRequestIds, after.Transactions.Recorded.Select(r => r.CheckoutRequestId));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AKeptCallbackTheTransactionServiceRefusesStaysKeptAsRejectedAndIsNotRetried()
    {
        using var gateway = new GatewayFactory();
        using var client = gateway.CreateClient();
        var checkoutRequestId = NewCheckoutRequestId();

        using var response = await PostAsync(client, DarajaFixtures.ReadStkWithCheckoutId("success-v3-docs", checkoutRequestId));
        await AssertAcknowledgedAsync(response, checkoutRequestId);

        gateway.Transactions.Mode = TransactionServiceMode.Refusing;
        await ReplayUntilAsync(gateway, client, () => KeptRow(gateway, checkoutRequestId)?.State == "rejected");

        var kept = KeptRow(gateway, checkoutRequestId)!;
        Assert.Contains("amount must be a positive number", kept.Reason, StringComparison.Ordinal);
        var health = await WaitForSpoolAsync(client, waiting: 0);
        Assert.Equal(1, health.GetProperty("spool").GetProperty("rejected").GetInt64());
        Assert.Empty(gateway.Transactions.Recorded);
    }

    [Fact]
    public async Task ACallbackRefusedByTheTransactionServiceIsAnswered400AndKeptRawInItsInboxWithTheReason()
    {
        using var gateway = new GatewayFactory();
        gateway.Transactions.Mode = TransactionServiceMode.Refusing;
        using var client = gateway.CreateClient();
        var checkoutRequestId = NewCheckoutRequestId();
        var body = DarajaFixtures.ReadStkWithCheckoutId("seed-doc-success-1000", checkoutRequestId);

        using var response = await PostAsync(client, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("refused_by_transaction_service", problem.RootElement.GetProperty("reason").GetString());
        var kept = Assert.Single(gateway.Transactions.KeptRejected);
        Assert.Equal(body, kept.RawPayload);
        Assert.Equal(checkoutRequestId, kept.CheckoutRequestId);
        Assert.StartsWith("refused_by_transaction_service: ", kept.Reason, StringComparison.Ordinal);
        Assert.Empty(KeptRows(gateway));
    }

    [Fact]
    public async Task JsonThatIsNotAnStkCallbackIsAnswered400AndKeptRawInTheSpoolWhileTheTransactionServiceIsDownButGarbageIsNot()
    {
        using var gateway = new GatewayFactory();
        using var client = gateway.CreateClient();
        const string NotACallback = """{"Body":{"stkCallback":{"MerchantRequestID":"kept-odd-payload","ResultCode":0}}}""";

        using var odd = await PostAsync(client, NotACallback);
        using var garbage = await PostAsync(client, "<html>not json</html>");

        Assert.Equal(HttpStatusCode.BadRequest, odd.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        var rows = KeptRows(gateway);
        var kept = Assert.Single(rows);
        Assert.Equal(NotACallback, kept.RawPayload);
        Assert.Equal("rejected", kept.State);
        Assert.StartsWith("missing_checkout_request_id: ", kept.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayedCallbacksAreCountedInTheMetrics()
    {
        using var gateway = new GatewayFactory();
        using var client = gateway.CreateClient();
        using var collector = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            gateway.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            "MpesaAspire",
            "mpesa.callbacks.spool.replayed");
        var checkoutRequestId = NewCheckoutRequestId();

        using var response = await PostAsync(client, DarajaFixtures.ReadStkWithCheckoutId("timeout-1036-smsc", checkoutRequestId));
        await AssertAcknowledgedAsync(response, checkoutRequestId);
        gateway.Transactions.Mode = TransactionServiceMode.Recording;
        await ReplayUntilAsync(gateway, client, () => gateway.Transactions.TimesRecorded(checkoutRequestId) > 0);
        await WaitForSpoolAsync(client, waiting: 0);

        await WaitAsync(() => collector.GetMeasurementSnapshot().Any(m => m.Tags["outcome"] is "recorded"));
    }

    [Fact]
    public async Task KeptPayloadsOlderThanTheRetentionArePruned()
    {
        using var gateway = new GatewayFactory();
        using var client = gateway.CreateClient();
        using var old = await PostAsync(client, """{"Body":{"stkCallback":{"MerchantRequestID":"old","ResultCode":0}}}""");
        gateway.Clock.Advance(TimeSpan.FromDays(60));
        using var recent = await PostAsync(client, """{"Body":{"stkCallback":{"MerchantRequestID":"recent","ResultCode":0}}}""");
        gateway.Clock.Advance(TimeSpan.FromDays(31));
        var pruner = gateway.Services.GetServices<IHostedService>().OfType<SpoolPruner>().Single();

        // The clock's jump may have woken the background pruner already; either way the old one is gone.
        await pruner.PruneOnceAsync(CancellationToken.None);

        var kept = Assert.Single(KeptRows(gateway));
        Assert.Contains("recent", kept.RawPayload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOperatorEndpointIsHiddenWithoutTheToken()
    {
        using var gateway = new GatewayFactory();
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync("/operator/spool/replay", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    internal static string NewCheckoutRequestId() => $"ws_CO_spool_{Guid.NewGuid():N}";

    internal static Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        client.PostAsync("/mpesa/callback", new StringContent(body, Encoding.UTF8, "application/json"));

    internal static async Task AssertAcknowledgedAsync(HttpResponseMessage response, string checkoutRequestId)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            $$"""{"ResultCode":0,"ResultDesc":"Callback received successfully","CheckoutRequestID":"{{checkoutRequestId}}"}""",
            await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Asks the operator endpoint for a replay (advancing the frozen clock past any backoff) until the condition holds.</summary>
    private static async Task ReplayUntilAsync(GatewayFactory gateway, HttpClient client, Func<bool> done)
    {
        await WaitAsync(async () =>
        {
            using var replay = new HttpRequestMessage(HttpMethod.Post, "/operator/spool/replay");
            replay.Headers.Add("X-Operator-Token", GatewayFactory.OperatorToken);
            using var answer = await client.SendAsync(replay);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            gateway.Clock.Advance(TimeSpan.FromMinutes(1));
            return done();
        });
    }

    private static async Task<JsonElement> WaitForSpoolAsync(HttpClient client, long waiting)
    {
        JsonElement health = default;
        await WaitAsync(async () =>
        {
            health = await HealthAsync(client);
            return health.GetProperty("spool").GetProperty("waiting").GetInt64() == waiting;
        });
        return health;
    }

    private static Task WaitAsync(Func<bool> condition) => WaitAsync(() => Task.FromResult(condition()));

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), patience.Token);
        }
    }

    private sealed record KeptRowView(string State, string RawPayload, string? Reason, string? CheckoutRequestId);

    private static KeptRowView? KeptRow(GatewayFactory gateway, string checkoutRequestId) =>
        KeptRows(gateway).SingleOrDefault(r => r.CheckoutRequestId == checkoutRequestId);

    /// <summary>What the operator sees in the spool file.</summary>
    private static List<KeptRowView> KeptRows(GatewayFactory gateway)
    {
        var rows = new List<KeptRowView>();
        if (!File.Exists(gateway.SpoolPath))
        {
            return rows;
        }

        using var connection = new SqliteConnection($"Data Source={gateway.SpoolPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using (var exists = connection.CreateCommand())
        {
            // The gateway creates the file at start; its table may be a moment behind.
            exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'kept_callbacks'";
            if ((long)exists.ExecuteScalar()! == 0)
            {
                return rows;
            }
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, raw_payload, reason, checkout_request_id FROM kept_callbacks ORDER BY id";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new KeptRowView(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return rows;
    }
}
