using System.Globalization;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using MpesaAspire.TestSupport;

namespace MpesaAspire.IntegrationTests;

/// <summary><c>Payments:Verification</c> = registered, through the whole system: an amount other than the one requested is not paid.</summary>
[Collection(RegisteredModeCollection.Name)]
public sealed class RegisteredModeTests(RegisteredModeFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AWrongAmountIsRecordedUnverifiedTheAdminIsWarnedAndThePayerGetsNothingUntilAnOperatorConfirmsIt()
    {
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        await system.RegisterTelegramUserAsync(chatId, phone, "Wafula");
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();
        await system.RegisterPendingAsync(checkoutRequestId, phone, "1000.00", chatId);

        using var response = await system.PostCallbackAsync(MpesaSystemFixture.StkCallback(
            checkoutRequestId, 0, "The service request is processed successfully.", 10m, "WRG1AM2NT3", long.Parse(phone, CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await system.WaitForStatusAsync(checkoutRequestId, "Unverified", Patience);
        Assert.Equal(1, Convert.ToInt32(row["amount_mismatch"], CultureInfo.InvariantCulture));
        var warning = await system.Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 1, Patience);
        await system.WaitForOutboxDrainedAsync(Patience);
        var text = Assert.Single(warning).Text;
        Assert.StartsWith("⚠️ UNVERIFIED PAYMENT: not counted as paid", text, StringComparison.Ordinal);
        Assert.Contains("Amount paid (10.00) differs from the amount requested (1000.00)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Payment Successful", text, StringComparison.Ordinal);
        Assert.DoesNotContain(system.Telegram.Messages, m => m.ChatId == chatId);

        // The operator checked the till statement and confirms it from the dashboard.
        var commands = system.App.Services.GetRequiredService<ResourceCommandService>();
        var confirmed = await commands.ExecuteCommandAsync(
            "transaction-service",
            "confirm-payment",
            new InteractionInputCollection([new InteractionInput { Name = "checkoutRequestId", InputType = InputType.Text, Value = checkoutRequestId }]));

        Assert.True(confirmed.Success, confirmed.Message);
        await system.WaitForStatusAsync(checkoutRequestId, "Success", Patience);
        var receipt = await system.Telegram.WaitForMessagesAsync(m => m.ChatId == chatId, 1, Patience);
        var admin = await system.Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 2, Patience);
        await system.WaitForOutboxDrainedAsync(Patience);
        Assert.StartsWith("🎉 Payment Receipt", Assert.Single(receipt).Text, StringComparison.Ordinal);
        Assert.Contains(admin, m => m.Text.StartsWith("✅ Payment Successful", StringComparison.Ordinal)
            && m.Text.Contains("⚠️ Amount differs from the amount requested: KES 1,000.00", StringComparison.Ordinal));

        // Confirming it again changes nothing and sends nothing.
        var again = await commands.ExecuteCommandAsync(
            "transaction-service",
            "confirm-payment",
            new InteractionInputCollection([new InteractionInput { Name = "checkoutRequestId", InputType = InputType.Text, Value = checkoutRequestId }]));
        await system.WaitForOutboxDrainedAsync(Patience);
        Assert.False(again.Success);
        Assert.Single(system.Telegram.Messages, m => m.ChatId == chatId);
    }

    [Fact]
    public async Task ASuccessThatCameBeforeItsRegistrationIsPaidWhenTheRegistrationMatches()
    {
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();

        using var response = await system.PostCallbackAsync(MpesaSystemFixture.StkCallback(
            checkoutRequestId, 0, "The service request is processed successfully.", 1000m, "EAR1LY2CB3", long.Parse(phone, CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await system.WaitForStatusAsync(checkoutRequestId, "Unverified", Patience);
        await system.Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 1, Patience);

        // The shop's bot registers the payment it started, late: same amount, same phone.
        await system.RegisterPendingAsync(checkoutRequestId, phone, "1000.00", chatId);

        await system.WaitForStatusAsync(checkoutRequestId, "Success", Patience);
        var receipt = await system.Telegram.WaitForMessagesAsync(m => m.ChatId == chatId, 1, Patience);
        var admin = await system.Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 2, Patience);
        await system.WaitForOutboxDrainedAsync(Patience);
        Assert.StartsWith("🎉 Payment Receipt", Assert.Single(receipt).Text, StringComparison.Ordinal);
        Assert.Contains(admin, m => m.Text.StartsWith("⚠️ UNVERIFIED PAYMENT", StringComparison.Ordinal));
        Assert.Contains(admin, m => m.Text.StartsWith("✅ Payment Successful", StringComparison.Ordinal));

        using var health = await system.Gateway.GetAsync("/health");
        var body = await MpesaSystemFixture.JsonAsync(health);
        Assert.Equal("registered", body.GetProperty("protection").GetProperty("paymentVerification").GetString());
    }

    private static Func<FakeTelegramMessage, bool> ForAdmin(string checkoutRequestId) =>
        m => m.ChatId == MpesaSystemFixture.AdminChatId && m.Text.Contains(checkoutRequestId, StringComparison.Ordinal);
}
