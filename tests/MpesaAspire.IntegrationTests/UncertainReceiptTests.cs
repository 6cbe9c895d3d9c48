using System.Net;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using MpesaAspire.TestSupport;

namespace MpesaAspire.IntegrationTests;

/// <summary>
/// A receipt Telegram took but never confirmed: the payer may have it, so it is never sent a second
/// time by itself. The admin is told, and an operator can resend it from the dashboard.
/// </summary>
[Collection(MpesaSystemCollection.Name)]
public sealed class UncertainReceiptTests(MpesaSystemFixture system)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private FakeTelegramBotApi Telegram => system.Telegram;

    [Fact]
    public async Task AReceiptTelegramTookButNeverConfirmedBeforeACrashIsNotSentAgainAndShowsUncertain()
    {
        await system.WaitForOutboxDrainedAsync(Timeout);
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        await system.RegisterTelegramUserAsync(chatId, phone, "Akinyi");
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();

        // Telegram shows the receipt to the payer at once but answers only after the service crashed:
        // the attempt is recorded, its outcome never is.
        Telegram.AnswerDelay = TimeSpan.FromMinutes(5);
        try
        {
            using var response = await system.PostCallbackAsync(MpesaSystemFixture.StkCallback(
                checkoutRequestId, 0, "The service request is processed successfully.", 750m, "UNC1RT2AIN",
                long.Parse(phone, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Telegram.WaitForMessagesAsync(m => m.ChatId == chatId, 1, Timeout);

            using var crashTimeout = new CancellationTokenSource(Timeout);
            await system.KillAsync("notification-service", crashTimeout.Token);
            await system.StartAsync("notification-service", crashTimeout.Token);
        }
        finally
        {
            Telegram.AnswerDelay = TimeSpan.Zero;
        }

        await WaitForReceiptStatusAsync(checkoutRequestId, "Uncertain");
        var alert = await Telegram.WaitForMessagesAsync(
            m => m.ChatId == MpesaSystemFixture.AdminChatId && m.Text.Contains("Receipt not confirmed", StringComparison.Ordinal)
                && m.Text.Contains(checkoutRequestId, StringComparison.Ordinal),
            1,
            Timeout);
        await system.WaitForOutboxDrainedAsync(Timeout);

        Assert.Single(alert);
        Assert.Equal(1, Telegram.Messages.Count(m => m.ChatId == chatId));
        Assert.Equal("Uncertain", await ReceiptStatusAsync(checkoutRequestId));

        // The operator checked with the payer and resends it from the dashboard.
        var commands = system.App.Services.GetRequiredService<ResourceCommandService>();
        var resend = await commands.ExecuteCommandAsync("notification-service", "resend-uncertain-receipts");

        Assert.True(resend.Success, resend.Message);
        await WaitForReceiptStatusAsync(checkoutRequestId, "Delivered");
        Assert.Equal(2, Telegram.Messages.Count(m => m.ChatId == chatId));
    }

    private Task<string?> ReceiptStatusAsync(string checkoutRequestId) =>
        system.ScalarAsync<string>(
            """
            SELECT o.status FROM notification_outbox o JOIN transactions t ON t.id = o.transaction_id
            WHERE t.checkout_request_id = @id AND o.kind = 'UserReceipt'
            """,
            ("@id", checkoutRequestId));

    private async Task WaitForReceiptStatusAsync(string checkoutRequestId, string status)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (await ReceiptStatusAsync(checkoutRequestId) != status)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token);
        }
    }
}
