using MpesaAspire.NotificationService.Delivery;
using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.TestSupport;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>
/// The product document's three messages, and the admin's warnings (an unverified success, a conflicting
/// result, an amount other than the one requested), exactly as a Telegram user sees them.
/// </summary>
public sealed class MessageFormatTests : IAsyncLifetime
{
    private FakeTelegramBotApi _telegram = null!;
    private NotificationServiceHarness _service = null!;

    public async Task InitializeAsync()
    {
        _telegram = await FakeTelegramBotApi.StartAsync();
        _service = await NotificationServiceHarness.StartAsync(_telegram);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public async Task TheAdminSeesTheSuccessMessageOfTheProductDocument()
    {
        var response = await _service.SendAsync(Requests.AdminSuccess());

        Assert.Equal(SendStatus.Delivered, response.Status);
        var message = Assert.Single(_telegram.Messages);
        Assert.Equal(NotificationServiceHarness.AdminChatId, message.ChatId);
        Assert.Equal(
            """
            ✅ Payment Successful

            💰 Amount: KES 1,000.00
            📱 Phone: 254708374149
            🧾 Receipt: NLJ7RT61SV
            🆔 Request ID: ws_CO_191220191020363925
            📅 Date: 2024-01-15 10:30:15
            """.ReplaceLineEndings("\n"),
            message.Text);
        Assert.Equal("html", message.ParseMode, ignoreCase: true);
        Assert.StartsWith("<b>✅ Payment Successful</b>\n", message.RawText, StringComparison.Ordinal);
        Assert.Equal(message.MessageId, response.MessageId);
        Assert.False(response.DryRun);
    }

    [Fact]
    public async Task TheAdminSeesTheFailureMessageOfTheProductDocument()
    {
        var response = await _service.SendAsync(Requests.AdminFailure());

        Assert.Equal(SendStatus.Delivered, response.Status);
        Assert.Equal(
            """
            ❌ Payment Failed

            📱 Phone: 254708374149
            🆔 Request ID: ws_CO_191220191020363925
            ❗ Reason: User cancelled the transaction
            📅 Date: 2024-01-15 10:30:15
            """.ReplaceLineEndings("\n"),
            Assert.Single(_telegram.Messages).Text);
    }

    [Fact]
    public async Task ThePayerSeesTheReceiptOfTheProductDocument()
    {
        var response = await _service.SendAsync(Requests.UserReceipt(chatId: 424242));

        Assert.Equal(SendStatus.Delivered, response.Status);
        var message = Assert.Single(_telegram.Messages);
        Assert.Equal(424242, message.ChatId);
        Assert.Equal(
            """
            🎉 Payment Receipt

            Thank you for your payment!

            💰 Amount: KES 1,000.00
            🧾 M-Pesa Receipt: NLJ7RT61SV
            📅 Date: 2024-01-15 10:30:15

            Transaction ID: ws_CO_191220191020363925
            """.ReplaceLineEndings("\n"),
            message.Text);
    }

    [Fact]
    public async Task TheAdminSeesDarajasPrefixedReasonAsSent()
    {
        await _service.SendAsync(Requests.AdminFailure(reason: "[STK_CB - ]Request cancelled by user"));

        Assert.Contains("\n❗ Reason: [STK_CB - ]Request cancelled by user\n", Assert.Single(_telegram.Messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyReasonReadsUnknownError()
    {
        await _service.SendAsync(Requests.AdminFailure(reason: ""));

        Assert.Contains("\n❗ Reason: Unknown error\n", Assert.Single(_telegram.Messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkupInAReasonReachesTheAdminLiterally()
    {
        const string reason = "<b>Bold</b> & <i>x</i> < 5 > 3 \"quoted\" *stars* _under_ [link](http://x) `code` &amp;";

        var response = await _service.SendAsync(Requests.AdminFailure(reason: reason));

        Assert.Equal(SendStatus.Delivered, response.Status);
        Assert.Contains("\n❗ Reason: " + reason + "\n", Assert.Single(_telegram.Messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkupInEveryOtherValueIsShownLiterallyToo()
    {
        var request = Requests.UserReceipt(chatId: 777, checkoutRequestId: "ws_CO_<b>&1");
        request.MpesaReceiptNumber = "NLJ<7>&\"";
        request.Date = "2024-01-15 <10:30>";

        var response = await _service.SendAsync(request);

        Assert.Equal(SendStatus.Delivered, response.Status);
        var text = Assert.Single(_telegram.Messages).Text;
        Assert.Contains("🧾 M-Pesa Receipt: NLJ<7>&\"\n", text, StringComparison.Ordinal);
        Assert.Contains("📅 Date: 2024-01-15 <10:30>\n", text, StringComparison.Ordinal);
        Assert.EndsWith("Transaction ID: ws_CO_<b>&1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHugeReasonIsCutSoTheMessageStaysWithinTelegramsLimit()
    {
        // Escaped, this reason is far longer than 4096 characters; displayed, it is cut to fit.
        var reason = string.Concat(Enumerable.Repeat("Declined & <retry> later 😀 ", 800));

        var response = await _service.SendAsync(Requests.AdminFailure(reason: reason));

        Assert.Equal(SendStatus.Delivered, response.Status);
        var text = Assert.Single(_telegram.Messages).Text;
        Assert.True(text.Length <= FakeTelegramBotApi.MaxMessageLength, $"{text.Length} characters");
        Assert.Contains("\n❗ Reason: Declined & <retry> later 😀 Declined", text, StringComparison.Ordinal);
        Assert.Contains("…\n📅 Date: 2024-01-15 10:30:15", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1000", "KES 1,000.00")]
    [InlineData("1", "KES 1.00")]
    [InlineData("1.0", "KES 1.00")]
    [InlineData("1.00", "KES 1.00")]
    [InlineData("0.5", "KES 0.50")]
    [InlineData("10500.00", "KES 10,500.00")]
    [InlineData("250000", "KES 250,000.00")]
    [InlineData("1234567.891", "KES 1,234,567.89")]
    [InlineData("999.995", "KES 1,000.00")]
    public async Task AmountsShowInShillingsWithTwoDecimalsAndThousandsSeparators(string amount, string shown)
    {
        await _service.SendAsync(Requests.UserReceipt(chatId: 31337, amount: amount));

        Assert.Contains("\n💰 Amount: " + shown + "\n", Assert.Single(_telegram.Messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AmountsIgnoreTheMachinesCulture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.True(Amounts.TryParse("10500.50", out var amount));
            Assert.Equal("10,500.50", Amounts.Display(amount));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void AnAmountThatIsNotANumberCanNeverBeSentAndSaysWhy()
    {
        var sendable = PendingNotificationMapping.TryMap(Requests.AdminSuccess(amount: "one thousand"), out _, out var problem);

        Assert.False(sendable);
        Assert.Contains("amount", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AReceiptWithoutAChatCanNeverBeSentAndSaysWhy()
    {
        var request = Requests.UserReceipt(chatId: 1);
        request.ClearChatId();

        var sendable = PendingNotificationMapping.TryMap(request, out _, out var problem);

        Assert.False(sendable);
        Assert.Contains("chat", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnverifiedSuccessReachesTheAdminAsAClearlyMarkedWarningWithItsReasonEscaped()
    {
        var warning = Requests.AdminSuccess(amount: "10");
        warning.Kind = NotificationKind.AdminUnverified;
        warning.Detail = "Amount paid (10.00) differs from the amount requested (1000.00) <b>&</b>";
        warning.RequestedAmount = "1000";
        warning.AmountMismatch = true;

        var response = await _service.SendAsync(warning);

        Assert.Equal(SendStatus.Delivered, response.Status);
        var message = Assert.Single(_telegram.Messages);
        Assert.Equal(NotificationServiceHarness.AdminChatId, message.ChatId);
        Assert.Equal(
            """
            ⚠️ UNVERIFIED PAYMENT: not counted as paid

            A success callback came for this payment but could not be verified. No receipt was sent; do not hand over goods yet.

            💰 Amount: KES 10.00
            📱 Phone: 254708374149
            🧾 Receipt: NLJ7RT61SV
            🆔 Request ID: ws_CO_191220191020363925
            📅 Date: 2024-01-15 10:30:15
            ❗ Reason: Amount paid (10.00) differs from the amount requested (1000.00) <b>&</b>

            ⚠️ Amount differs from the amount requested: KES 1,000.00

            Once M-Pesa shows the money arrived, use "Confirm payment" on transaction-service in the dashboard.
            """.ReplaceLineEndings("\n"),
            message.Text);
        Assert.StartsWith("<b>⚠️ UNVERIFIED PAYMENT: not counted as paid</b>\n", message.RawText, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;&amp;&lt;/b&gt;", message.RawText, StringComparison.Ordinal);
        Assert.DoesNotContain("Payment Successful", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASuccessPaidWithAnotherAmountCarriesAWarningLine()
    {
        var success = Requests.AdminSuccess(amount: "50");
        success.RequestedAmount = "500";
        success.AmountMismatch = true;

        await _service.SendAsync(success);

        var text = Assert.Single(_telegram.Messages).Text;
        Assert.StartsWith("✅ Payment Successful\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n\n⚠️ Amount differs from the amount requested: KES 500.00", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConflictingResultAlertsTheAdmin()
    {
        var conflict = Requests.AdminFailure();
        conflict.Kind = NotificationKind.AdminConflict;
        conflict.Detail = "Recorded: Success (result 0). Then a callback said: result 1032, Request cancelled by user";

        await _service.SendAsync(conflict);

        Assert.Equal(
            """
            ⚠️ Conflicting payment result

            A second, different result came for a payment already recorded. It was not applied; check it in M-Pesa.

            📱 Phone: 254708374149
            🆔 Request ID: ws_CO_191220191020363925
            ❗ Recorded: Success (result 0). Then a callback said: result 1032, Request cancelled by user
            """.ReplaceLineEndings("\n"),
            Assert.Single(_telegram.Messages).Text);
    }
}
