using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MpesaAspire.TestSupport;

namespace MpesaAspire.IntegrationTests;

/// <summary>
/// Nothing lost: while MySQL or the transaction service is down, the gateway still acknowledges
/// callbacks (keeping them in its spool), and once recording works again every one is recorded
/// and notified exactly once. Refused payloads are kept for the operator.
/// </summary>
[Collection(MpesaSystemCollection.Name)]
public sealed partial class NothingLostTests(MpesaSystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("mysql")]
    [InlineData("transaction-service")]
    public async Task CallbacksTakenWhileRecordingIsDownAreRecordedAndNotifiedOnceWhenItIsBack(string resource)
    {
        await system.WaitForOutboxDrainedAsync(Patience);
        var checkoutRequestIds = Enumerable.Range(0, 3).Select(_ => MpesaSystemFixture.NewCheckoutRequestId()).ToList();

        using var timeout = new CancellationTokenSource(Patience + Patience);
        await system.StopAsync(resource, timeout.Token);
        try
        {
            for (var i = 0; i < checkoutRequestIds.Count; i++)
            {
                using var response = await system.PostCallbackAsync(MpesaSystemFixture.StkCallback(
                    checkoutRequestIds[i], 0, "The service request is processed successfully.", 250m + i, $"SPL{i:D7}"));

                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var answer = await MpesaSystemFixture.JsonAsync(response);
                Assert.Equal(0, answer.GetProperty("ResultCode").GetInt32());
                Assert.Equal(checkoutRequestIds[i], answer.GetProperty("CheckoutRequestID").GetString());
            }

            // /health reuses one probe for a few seconds: the spool shows in the next fresh one.
            await WaitForAsync(async () =>
            {
                using var healthResponse = await system.Gateway.GetAsync("/health");
                var health = await MpesaSystemFixture.JsonAsync(healthResponse);
                return healthResponse.StatusCode == HttpStatusCode.OK
                    && health.GetProperty("status").GetString() == "degraded"
                    && health.GetProperty("spool").GetProperty("waiting").GetInt64() >= checkoutRequestIds.Count;
            });
        }
        finally
        {
            await system.StartAsync(resource, timeout.Token);
            await system.App.ResourceNotifications.WaitForResourceHealthyAsync("transaction-service", timeout.Token);
        }

        foreach (var checkoutRequestId in checkoutRequestIds)
        {
            await WaitForAsync(async () => await system.TransactionRowAsync(checkoutRequestId) is { } row && (string?)row["status"] == "Success");
            await system.Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 1, Patience);
        }

        await WaitForAsync(async () => await SpoolWaitingAsync() == 0);
        await system.WaitForOutboxDrainedAsync(Patience);
        foreach (var checkoutRequestId in checkoutRequestIds)
        {
            Assert.Equal(1, system.Telegram.Messages.Count(ForAdmin(checkoutRequestId)));
            Assert.Equal(1, await system.ScalarAsync<long>(
                "SELECT COUNT(*) FROM transactions WHERE checkout_request_id = @id", ("@id", checkoutRequestId)));
        }
    }

    [Fact]
    public async Task JsonThatIsNotAnStkCallbackIsRefusedWith400AndKeptRawInTheInboxForTheOperator()
    {
        var marker = Guid.NewGuid().ToString("N");
        var body = "{\"Body\":{\"stkCallback\":{\"MerchantRequestID\":\"" + marker + "\",\"ResultCode\":0}}}";

        using var response = await system.Gateway.PostAsync("/mpesa/callback", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Rejected", await system.ScalarAsync<string>(
            "SELECT outcome FROM stk_callback_inbox WHERE raw_payload = @payload", ("@payload", body)));
        Assert.StartsWith("missing_checkout_request_id: ", await system.ScalarAsync<string>(
            "SELECT rejection_reason FROM stk_callback_inbox WHERE raw_payload = @payload", ("@payload", body)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonRefusedWhileTheTransactionServiceIsDownIsKeptInTheGatewaysSpool()
    {
        var marker = Guid.NewGuid().ToString("N");
        var body = "{\"Body\":{\"stkCallback\":{\"MerchantRequestID\":\"" + marker + "\",\"ResultCode\":0}}}";

        using var timeout = new CancellationTokenSource(Patience + Patience);
        await system.StopAsync("transaction-service", timeout.Token);
        try
        {
            using var response = await system.Gateway.PostAsync("/mpesa/callback", new StringContent(body, Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        finally
        {
            await system.StartAsync("transaction-service", timeout.Token);
        }

        var kept = await KeptRowsAsync("SELECT state, reason FROM kept_callbacks WHERE raw_payload = $payload", ("$payload", body));
        var (state, reason) = Assert.Single(kept);
        Assert.Equal("rejected", state);
        Assert.StartsWith("missing_checkout_request_id: ", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDashboardSendsATestCallbackThatIsRecordedAndReplaysKeptCallbacksOnRequest()
    {
        var commands = system.App.Services.GetRequiredService<ResourceCommandService>();

        var sent = await commands.ExecuteCommandAsync("callback-gateway", "send-test-callback");
        var replay = await commands.ExecuteCommandAsync("callback-gateway", "replay-kept-callbacks");

        Assert.True(sent.Success, sent.Message);
        Assert.Contains("\"ResultCode\":0", sent.Message, StringComparison.Ordinal);
        var checkoutRequestId = TestCheckoutRequestId().Match(sent.Message!).Value;
        await WaitForAsync(async () => await system.TransactionRowAsync(checkoutRequestId) is { } row && (string?)row["status"] == "Success");
        Assert.True(replay.Success, replay.Message);
        Assert.StartsWith("Replaying ", replay.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"ws_CO_\d+TEST[0-9A-F]{8}")]
    private static partial Regex TestCheckoutRequestId();

    private static Func<FakeTelegramMessage, bool> ForAdmin(string checkoutRequestId) =>
        m => m.ChatId == MpesaSystemFixture.AdminChatId && m.Text.Contains(checkoutRequestId, StringComparison.Ordinal);

    private async Task<long> SpoolWaitingAsync()
    {
        using var response = await system.Gateway.GetAsync("/health");
        return (await MpesaSystemFixture.JsonAsync(response)).GetProperty("spool").GetProperty("waiting").GetInt64();
    }

    /// <summary>Reads the gateway's spool file as an operator would (the gateway keeps it open in WAL mode).</summary>
    private async Task<List<(string State, string? Reason)>> KeptRowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={system.SpoolPath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<(string, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return rows;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!await ConditionHoldsAsync(condition))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), patience.Token);
        }
    }

    /// <summary>A database just restarted may refuse a read or two; that is "not yet".</summary>
    private static async Task<bool> ConditionHoldsAsync(Func<Task<bool>> condition)
    {
        try
        {
            return await condition();
        }
        catch (MySqlConnector.MySqlException)
        {
            return false;
        }
    }
}
