using System.Globalization;
using System.Net;
using MpesaAspire.TestSupport;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.IntegrationTests;

/// <summary>
/// Verification of success through the whole system in its default mode once Daraja is configured
/// (<c>Payments:Verification</c> = query): a success counts only when STK Push Query confirms it.
/// </summary>
[Collection(MpesaSystemCollection.Name)]
public sealed class VerificationTests(MpesaSystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AForgedSuccessFollowedByTheGenuineCancellationEndsCancelledAndNobodyGetsAReceipt()
    {
        await system.WaitForOutboxDrainedAsync(Patience);
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        await system.RegisterTelegramUserAsync(chatId, phone, "Kamau");
        // The buyer cancels on the phone; Safaricom's genuine "cancelled" callback comes a few seconds later.
        system.Daraja.SetScenario(phone, FakeStkScenario.Cancelled with { CompletesAfter = TimeSpan.FromSeconds(4) });
        var started = await system.TransactionsClient().InitiateStkPushAsync(new InitiateStkPushRequest
        {
            PhoneNumber = phone,
            Amount = 500,
            AccountReference = "ORDER-F1",
            Description = "Shop order",
            TelegramChatId = chatId,
            IdempotencyKey = Guid.NewGuid().ToString("N"),
        });

        // Meanwhile the buyer posts a forged success for the same CheckoutRequestID.
        using var forged = await system.PostCallbackAsync(MpesaSystemFixture.StkCallback(
            started.CheckoutRequestId, 0, "The service request is processed successfully.", 500m, "FRG1D2E3F4",
            long.Parse(phone, CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        var held = await system.TransactionRowAsync(started.CheckoutRequestId);
        Assert.Equal("Pending", held!["status"]);

        var row = await system.WaitForStatusAsync(started.CheckoutRequestId, "Cancelled", Patience);
        var failure = await system.Telegram.WaitForMessagesAsync(ForAdmin(started.CheckoutRequestId), 1, Patience);
        await system.WaitForOutboxDrainedAsync(Patience);

        Assert.Null(row["mpesa_receipt_number"]);
        Assert.Contains("refuted", (string)row["verification_reason"]!, StringComparison.Ordinal);
        Assert.StartsWith("❌ Payment Failed", Assert.Single(failure).Text, StringComparison.Ordinal);
        Assert.DoesNotContain(system.Telegram.Messages, m => m.ChatId == chatId);
        Assert.DoesNotContain(
            system.Telegram.Messages,
            m => m.Text.Contains(started.CheckoutRequestId, StringComparison.Ordinal) && m.Text.Contains("Payment Successful", StringComparison.Ordinal));
        Assert.Equal(1L, await system.ScalarAsync<long>(
            "SELECT COUNT(*) FROM stk_callback_inbox WHERE checkout_request_id = @id AND outcome = 'Refuted'", ("@id", started.CheckoutRequestId)));
    }

    [Fact]
    public async Task ASuccessThatDarajaConfirmsIsPaidWithTheUsualMessagesOnlyAfterTheQuery()
    {
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        await system.RegisterTelegramUserAsync(chatId, phone, "Njeri");
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();

        using var response = await system.PostCallbackAsync(MpesaSystemFixture.StkCallback(
            checkoutRequestId, 0, "The service request is processed successfully.", 320m, "CNF1R2M3D4", long.Parse(phone, CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paid = await system.WaitForStatusAsync(checkoutRequestId, "Success", Patience);
        Assert.Equal("CNF1R2M3D4", paid["mpesa_receipt_number"]);
        await system.Telegram.WaitForMessagesAsync(m => m.ChatId == chatId, 1, Patience);
        await system.Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 1, Patience);
    }

    private static Func<FakeTelegramMessage, bool> ForAdmin(string checkoutRequestId) =>
        m => m.ChatId == MpesaSystemFixture.AdminChatId && m.Text.Contains(checkoutRequestId, StringComparison.Ordinal);
}
