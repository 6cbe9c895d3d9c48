using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.TestSupport;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>The admin's warnings: an unverified success, a conflicting result, an amount other than the one requested.</summary>
public sealed class WarningMessageTests : IAsyncLifetime
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
