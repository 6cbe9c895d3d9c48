using System.Net;
using System.Text.Json.Nodes;
using MpesaAspire.TestSupport;

namespace MpesaAspire.IntegrationTests;

/// <summary>The product document's callback contract, posted to the running system as Safaricom would.</summary>
[Collection(MpesaSystemCollection.Name)]
public sealed class CallbackRecordingTests(MpesaSystemFixture system)
{
    public static TheoryData<string> StkFixtures() => [.. DarajaFixtures.StkCallbackNames];

    [Theory]
    [MemberData(nameof(StkFixtures))]
    public async Task EverySafaricomSampleIsAcknowledgedAndRecordedAsItsRow(string fixture)
    {
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();
        var json = DarajaFixtures.ReadStkWithCheckoutId(fixture, checkoutRequestId);
        var expected = JsonNode.Parse(json)!["Body"]!["stkCallback"]!;
        var resultCode = expected["ResultCode"]!.GetValue<int>();

        using var response = await system.PostCallbackAsync(json);
        var answer = await MpesaSystemFixture.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, answer.GetProperty("ResultCode").GetInt32());
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("ResultDesc").GetString()));
        Assert.Equal(checkoutRequestId, answer.GetProperty("CheckoutRequestID").GetString());

        // A success counts once STK Push Query confirms it; a failure is recorded before the answer.
        var row = resultCode == 0
            ? await system.WaitForStatusAsync(checkoutRequestId, "Success")
            : await system.TransactionRowAsync(checkoutRequestId);
        Assert.NotNull(row);
        Assert.Equal(expected["MerchantRequestID"]!.GetValue<string>(), row["merchant_request_id"]);
        Assert.Equal(resultCode, Convert.ToInt32(row["result_code"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected["ResultDesc"]!.GetValue<string>(), row["result_desc"]);
        Assert.Equal(resultCode switch { 0 => "Success", 1032 => "Cancelled", _ => "Failed" }, row["status"]);

        var items = expected["CallbackMetadata"]?["Item"]?.AsArray();
        if (items is null)
        {
            Assert.Null(row["amount"]);
            Assert.Null(row["mpesa_receipt_number"]);
            return;
        }

        JsonNode? Item(string name) => items.FirstOrDefault(i => i!["Name"]!.GetValue<string>() == name)?["Value"];
        Assert.Equal(Item("Amount")!.GetValue<decimal>(), (decimal)row["amount"]!);
        Assert.Equal(Item("MpesaReceiptNumber")!.GetValue<string>(), row["mpesa_receipt_number"]);
        Assert.Equal(Item("PhoneNumber")!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture), row["phone_number"]);
        var date = Item("TransactionDate")!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            DateTime.ParseExact(date, "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture),
            (DateTime)row["transaction_date"]!);
    }

    [Fact]
    public async Task AStringResultCodeIsRecordedAsAFailureWithTheCodeKept()
    {
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();

        using var response = await system.PostCallbackAsync(
            MpesaSystemFixture.StkCallback(checkoutRequestId, "SFC_IC0003", "Operator does not exist"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await system.TransactionRowAsync(checkoutRequestId);
        Assert.NotNull(row);
        Assert.Equal("Failed", row["status"]);
        Assert.Equal("SFC_IC0003", row["result_code_raw"]);
    }

    [Fact]
    public async Task TheSameCallbackPostedTwiceYieldsOneRowAndOneSetOfNotifications()
    {
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();
        var json = DarajaFixtures.ReadStkWithCheckoutId("seed-doc-success-1000", checkoutRequestId);

        using var first = await system.PostCallbackAsync(json);
        using var second = await system.PostCallbackAsync(json);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(0, (await MpesaSystemFixture.JsonAsync(second)).GetProperty("ResultCode").GetInt32());
        await system.WaitForStatusAsync(checkoutRequestId, "Success");
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM transactions WHERE checkout_request_id = @id", checkoutRequestId));
        Assert.Equal(1L, await OutboxCountAsync(checkoutRequestId));
        Assert.Equal(2L, await CallbackDeliveriesAsync(checkoutRequestId, json));
    }

    [Fact]
    public async Task TwentyConcurrentCopiesOfOneCallbackYieldOneRowAndOneSetOfNotifications()
    {
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();
        var json = DarajaFixtures.ReadStkWithCheckoutId("success-v3-docs", checkoutRequestId);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => system.PostCallbackAsync(json)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await system.WaitForStatusAsync(checkoutRequestId, "Success");
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM transactions WHERE checkout_request_id = @id", checkoutRequestId));
        Assert.Equal(1L, await OutboxCountAsync(checkoutRequestId));
        Assert.Equal(20L, await CallbackDeliveriesAsync(checkoutRequestId, json));
    }

    [Fact]
    public async Task TwoHundredDistinctConcurrentCallbacksWithNoPendingRowAreAllRecorded()
    {
        var prefix = $"ws_CO_LOAD_{Guid.NewGuid():N}_";
        var ids = Enumerable.Range(0, 200).Select(i => prefix + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var responses = await Task.WhenAll(ids.Select((id, i) => system.PostCallbackAsync(i % 2 == 0
            ? MpesaSystemFixture.StkCallback(id, 0, "The service request is processed successfully.", 10 + i, $"LD{i:D8}", 254700000000 + i)
            : MpesaSystemFixture.StkCallback(id, 1032, "Request cancelled by user"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(200L, await CountAsync("SELECT COUNT(*) FROM transactions WHERE checkout_request_id LIKE CONCAT(@id, '%')", prefix));
        // The successes are confirmed by STK Push Query in the background, at the query budget's pace.
        using (var confirmed = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (await CountAsync("SELECT COUNT(*) FROM transactions WHERE checkout_request_id LIKE CONCAT(@id, '%') AND status = 'Success'", prefix) < 100)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), confirmed.Token);
            }
        }

        Assert.Equal(100L, await CountAsync("SELECT COUNT(*) FROM transactions WHERE checkout_request_id LIKE CONCAT(@id, '%') AND status = 'Success'", prefix));
        Assert.Equal(100L, await CountAsync("SELECT COUNT(*) FROM transactions WHERE checkout_request_id LIKE CONCAT(@id, '%') AND status = 'Cancelled'", prefix));
    }

    [Fact]
    public async Task AConflictingSecondResultIsKeptButDoesNotChangeAFinalTransactionAndAlertsTheAdmin()
    {
        // Alone in the admin chat, so the alert is not folded into a digest of earlier tests' messages.
        await system.WaitForOutboxDrainedAsync(TimeSpan.FromSeconds(90));
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();
        using var success = await system.PostCallbackAsync(MpesaSystemFixture.StkCallback(
            checkoutRequestId, 0, "The service request is processed successfully.", 250m, "QCF1AB2CD3", 254708374149));
        await system.WaitForStatusAsync(checkoutRequestId, "Success");
        await system.WaitForOutboxDrainedAsync(TimeSpan.FromSeconds(90));
        using var cancelled = await system.PostCallbackAsync(MpesaSystemFixture.StkCallback(
            checkoutRequestId, 1032, "Request cancelled by user"));

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var row = await system.TransactionRowAsync(checkoutRequestId);
        Assert.Equal("Success", row!["status"]);
        Assert.Equal(250m, (decimal)row["amount"]!);
        Assert.Equal(1L, await CountAsync(
            "SELECT COUNT(*) FROM stk_callback_inbox WHERE checkout_request_id = @id AND outcome = 'Conflict'", checkoutRequestId));
        // The success message, and one alert about the conflicting result.
        Assert.Equal(2L, await OutboxCountAsync(checkoutRequestId));
        var alert = await system.Telegram.WaitForMessagesAsync(
            m => m.ChatId == MpesaSystemFixture.AdminChatId && m.Text.Contains(checkoutRequestId, StringComparison.Ordinal)
                && m.Text.Contains("Conflicting payment result", StringComparison.Ordinal),
            1,
            TimeSpan.FromSeconds(60));
        Assert.Contains("result 1032", Assert.Single(alert).Text, StringComparison.Ordinal);
    }

    private Task<long> CountAsync(string sql, string id) => system.ScalarAsync<long>(sql, ("@id", id));

    /// <summary>How many times this callback body was delivered (the inbox also keeps the STK Push Query answer that confirmed it).</summary>
    private Task<long> CallbackDeliveriesAsync(string checkoutRequestId, string body) => system.ScalarAsync<long>(
        "SELECT SUM(delivery_count) FROM stk_callback_inbox WHERE checkout_request_id = @id AND payload_sha256 = SHA2(@body, 256)",
        ("@id", checkoutRequestId),
        ("@body", body));

    private Task<long> OutboxCountAsync(string checkoutRequestId) => CountAsync(
        """
        SELECT COUNT(*) FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id
        WHERE t.checkout_request_id = @id
        """,
        checkoutRequestId);
}
