using System.Net;
using System.Text.RegularExpressions;
using MpesaAspire.TestSupport;

namespace MpesaAspire.IntegrationTests;

/// <summary>What the shop's admin and the paying customer see on Telegram after a callback.</summary>
[Collection(MpesaSystemCollection.Name)]
public sealed class NotificationDeliveryTests(MpesaSystemFixture system)
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(90);

    private FakeTelegramBotApi Telegram => system.Telegram;

    [Fact]
    public async Task ASuccessfulPaymentSendsTheAdminOneMessageAndThePayerOneReceiptInTheDocumentsWords()
    {
        await system.WaitForOutboxDrainedAsync(DeliveryTimeout);
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        // The customer registered with the bot using the local format of the same number.
        await system.RegisterTelegramUserAsync(chatId, "0" + phone[3..], "Wanjiku");
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();

        using var response = await system.PostCallbackAsync(MpesaSystemFixture.StkCallback(
            checkoutRequestId, 0, "The service request is processed successfully.", 1000m, "NLJ7RT61SV",
            long.Parse(phone, System.Globalization.CultureInfo.InvariantCulture), 20240115103015));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var admin = await Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 1, DeliveryTimeout);
        var receipt = await Telegram.WaitForMessagesAsync(m => m.ChatId == chatId, 1, DeliveryTimeout);

        Assert.Equal(
            $"""
            ✅ Payment Successful

            💰 Amount: KES 1,000.00
            📱 Phone: {phone}
            🧾 Receipt: NLJ7RT61SV
            🆔 Request ID: {checkoutRequestId}
            📅 Date: 2024-01-15 10:30:15
            """,
            Assert.Single(admin).Text.ReplaceLineEndings("\n"));
        Assert.Equal(
            $"""
            🎉 Payment Receipt

            Thank you for your payment!

            💰 Amount: KES 1,000.00
            🧾 M-Pesa Receipt: NLJ7RT61SV
            📅 Date: 2024-01-15 10:30:15

            Transaction ID: {checkoutRequestId}
            """,
            Assert.Single(receipt).Text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task AFailedPaymentSendsTheAdminOneFailureMessageWithTheReasonAndThePayerNothing()
    {
        await system.WaitForOutboxDrainedAsync(DeliveryTimeout);
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();
        await system.RegisterPendingAsync(checkoutRequestId, phone, "1000.00", chatId);

        using var response = await system.PostCallbackAsync(MpesaSystemFixture.StkCallback(
            checkoutRequestId, 1032, "Request cancelled by user"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var admin = Assert.Single(await Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 1, DeliveryTimeout));
        Assert.Matches(
            FailureMessage(phone, checkoutRequestId, "Request cancelled by user"),
            admin.Text.ReplaceLineEndings("\n"));
        await system.WaitForOutboxDrainedAsync(DeliveryTimeout);
        Assert.Equal(0, Telegram.Messages.Count(m => m.ChatId == chatId));
    }

    [Fact]
    public async Task AReasonFullOfMarkupReachesTheAdminDisplayedLiterally()
    {
        await system.WaitForOutboxDrainedAsync(DeliveryTimeout);
        const string Reason = "<b>Declined</b> & refunded < 5 min *not* _bold_ [link](x) `code`";
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();

        using var response = await system.PostCallbackAsync(MpesaSystemFixture.StkCallback(checkoutRequestId, 2001, Reason));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var admin = Assert.Single(await Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 1, DeliveryTimeout));
        Assert.Contains("❗ Reason: " + Reason, admin.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARepeatedCallbackSendsNothingNew()
    {
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        await system.RegisterTelegramUserAsync(chatId, phone, "Otieno");
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();
        var json = MpesaSystemFixture.StkCallback(
            checkoutRequestId, 0, "The service request is processed successfully.", 50m, "QRS1TUV2WX",
            long.Parse(phone, System.Globalization.CultureInfo.InvariantCulture));

        using (var first = await system.PostCallbackAsync(json))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 1, DeliveryTimeout);
        await Telegram.WaitForMessagesAsync(m => m.ChatId == chatId, 1, DeliveryTimeout);

        using (var repeat = await system.PostCallbackAsync(json))
        {
            Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        }

        await system.WaitForOutboxDrainedAsync(DeliveryTimeout);
        Assert.Equal(1, Telegram.Messages.Count(ForAdmin(checkoutRequestId)));
        Assert.Equal(1, Telegram.Messages.Count(m => m.ChatId == chatId));
    }

    [Fact]
    public async Task WhenTelegramRefusesOneCallInFiveWithTooManyRequestsEveryMessageIsStillDeliveredOnce()
    {
        await system.WaitForOutboxDrainedAsync(DeliveryTimeout);
        var payments = await PostSuccessfulPaymentsAsync(10, () => Telegram.TooManyRequestsRatio = 0.2);
        try
        {
            await AssertEachDeliveredOnceAsync(payments, TimeSpan.FromMinutes(3));
        }
        finally
        {
            Telegram.TooManyRequestsRatio = 0;
        }
    }

    [Fact]
    public async Task MessagesQueuedWhileTelegramIsUnreachableForAMinuteAreDeliveredOnceWhenItReturns()
    {
        await system.WaitForOutboxDrainedAsync(DeliveryTimeout);
        List<(string CheckoutRequestId, long ChatId)> payments;
        try
        {
            payments = await PostSuccessfulPaymentsAsync(5, () => Telegram.IsDown = true);
            await Task.Delay(TimeSpan.FromMinutes(1));
            Assert.All(payments, p => Assert.Equal(0, Telegram.Messages.Count(ForAdmin(p.CheckoutRequestId))));
        }
        finally
        {
            Telegram.IsDown = false;
        }

        await AssertEachDeliveredOnceAsync(payments, TimeSpan.FromMinutes(3));
    }

    [Theory]
    [InlineData("notification-service")]
    [InlineData("callback-gateway")]
    public async Task RestartingAServiceMidStreamLosesAndDuplicatesNothing(string resource)
    {
        await system.WaitForOutboxDrainedAsync(DeliveryTimeout);
        var payments = await PostSuccessfulPaymentsAsync(8, () => { });

        using var restartTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await system.RestartAsync(resource, restartTimeout.Token);

        await AssertEachDeliveredOnceAsync(payments, TimeSpan.FromMinutes(3));
    }

    private async Task<List<(string CheckoutRequestId, long ChatId)>> PostSuccessfulPaymentsAsync(int count, Action beforePosting)
    {
        var payments = new List<(string CheckoutRequestId, long ChatId)>();
        var callbacks = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (phone, chatId) = MpesaSystemFixture.NewPayer();
            await system.RegisterTelegramUserAsync(chatId, "+" + phone, "Payer");
            var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();
            payments.Add((checkoutRequestId, chatId));
            callbacks.Add(MpesaSystemFixture.StkCallback(
                checkoutRequestId, 0, "The service request is processed successfully.", 100m + i, $"RCP{i:D7}",
                long.Parse(phone, System.Globalization.CultureInfo.InvariantCulture)));
        }

        beforePosting();
        foreach (var callback in callbacks)
        {
            using var response = await system.PostCallbackAsync(callback);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        return payments;
    }

    private async Task AssertEachDeliveredOnceAsync(List<(string CheckoutRequestId, long ChatId)> payments, TimeSpan timeout)
    {
        foreach (var (checkoutRequestId, chatId) in payments)
        {
            await Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 1, timeout);
            await Telegram.WaitForMessagesAsync(m => m.ChatId == chatId, 1, timeout);
        }

        await system.WaitForOutboxDrainedAsync(timeout);
        Assert.All(payments, p =>
        {
            Assert.Equal(1, Telegram.Messages.Count(ForAdmin(p.CheckoutRequestId)));
            Assert.Equal(1, Telegram.Messages.Count(m => m.ChatId == p.ChatId));
        });
    }

    private static Func<FakeTelegramMessage, bool> ForAdmin(string checkoutRequestId) =>
        m => m.ChatId == MpesaSystemFixture.AdminChatId && m.Text.Contains(checkoutRequestId, StringComparison.Ordinal);

    private static Regex FailureMessage(string phone, string checkoutRequestId, string reason) => new(
        "^" + Regex.Escape($"❌ Payment Failed\n\n📱 Phone: {phone}\n🆔 Request ID: {checkoutRequestId}\n❗ Reason: {reason}\n📅 Date: ")
        + @"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$");
}
