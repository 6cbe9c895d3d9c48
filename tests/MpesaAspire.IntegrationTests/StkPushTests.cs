using System.Net;
using Aspire.Hosting.ApplicationModel;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using MpesaAspire.TestSupport;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.IntegrationTests;

/// <summary>
/// Starting payments through the transaction service's contract, against the fake Daraja, and
/// finding the ones whose callback never came.
/// </summary>
[Collection(MpesaSystemCollection.Name)]
public sealed class StkPushTests(MpesaSystemFixture system)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private FakeTelegramBotApi Telegram => system.Telegram;

    private FakeDarajaApi Daraja => system.Daraja;

    [Fact]
    public async Task APushWhoseCallbackComesEndsSuccessfulWithOneAdminMessageAndOneReceiptToTheChatGivenAtTheStart()
    {
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        Daraja.SetScenario(phone, FakeStkScenario.Success);

        var started = await Push(LocalForm(phone), 150, chatId);

        var paid = await WaitForStatusAsync(started.CheckoutRequestId, TransactionStatus.Success);
        Assert.True(started.Created);
        Assert.Equal("150.00", paid.Amount);
        Assert.Equal(phone, paid.PhoneNumber);
        Assert.Equal("ORDER-1", paid.AccountReference);
        Assert.Equal(Daraja.PushesTo(phone).Single().ReceiptNumber, paid.MpesaReceiptNumber);
        await AssertNotifiedOnceAsync(started.CheckoutRequestId, chatId);
    }

    [Fact]
    public async Task APushWhoseCallbackNeverComesIsFoundByQueryAndNotifiedOnce()
    {
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        Daraja.SetScenario(phone, FakeStkScenario.SuccessWithoutCallback);

        var started = await Push("+" + phone, 200, chatId);

        var paid = await WaitForStatusAsync(started.CheckoutRequestId, TransactionStatus.Success);
        Assert.Equal("0", paid.ResultCode);
        Assert.Equal("200.00", paid.Amount);
        await AssertNotifiedOnceAsync(started.CheckoutRequestId, chatId);
    }

    [Fact]
    public async Task ACallbackAfterAQueryConfirmedSuccessAddsTheReceiptNumberWithoutASecondMessage()
    {
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        Daraja.SetScenario(phone, FakeStkScenario.SuccessWithoutCallback);
        var started = await Push(phone, 300, chatId);
        await WaitForStatusAsync(started.CheckoutRequestId, TransactionStatus.Success);
        await AssertNotifiedOnceAsync(started.CheckoutRequestId, chatId);

        await Daraja.SendCallbackAsync(started.CheckoutRequestId);

        var receipt = Daraja.PushesTo(phone).Single().ReceiptNumber;
        var completed = await WaitForAsync(started.CheckoutRequestId, t => t.MpesaReceiptNumber == receipt);
        Assert.Equal(TransactionStatus.Success, completed.Status);
        Assert.NotEmpty(completed.TransactionDate);
        await AssertNotifiedOnceAsync(started.CheckoutRequestId, chatId);
    }

    [Fact]
    public async Task APushTheCustomerCancelsEndsCancelled()
    {
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        Daraja.SetScenario(phone, FakeStkScenario.Cancelled);

        var started = await Push(LocalForm(phone), 50, chatId);

        var cancelled = await WaitForStatusAsync(started.CheckoutRequestId, TransactionStatus.Cancelled);
        Assert.Equal("1032", cancelled.ResultCode);
        await Telegram.WaitForMessagesAsync(ForAdmin(started.CheckoutRequestId), 1, Patience);
    }

    [Fact]
    public async Task APendingRowAnOlderBotInsertedDirectlyIsReconciled()
    {
        var (phone, _) = MpesaSystemFixture.NewPayer();
        var checkoutRequestId = MpesaSystemFixture.NewCheckoutRequestId();
        Daraja.AddPushMadeElsewhere(checkoutRequestId, phone, 75, FakeStkScenario.SuccessWithoutCallback);
        await using (var connection = await system.OpenDatabaseAsync())
        {
            await using var command = connection.CreateCommand();
            // The seed's own INSERT: no columns beyond the product document's.
            command.CommandText = """
                INSERT INTO transactions (checkout_request_id, merchant_request_id, amount, phone_number, status)
                VALUES (@id, 'older-bot-1', 75.00, @phone, 'Pending')
                """;
            command.Parameters.AddWithValue("@id", checkoutRequestId);
            command.Parameters.AddWithValue("@phone", phone);
            await command.ExecuteNonQueryAsync();
        }

        var paid = await WaitForStatusAsync(checkoutRequestId, TransactionStatus.Success);

        Assert.Equal("75.00", paid.Amount);
        await Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 1, Patience);
    }

    [Fact]
    public async Task TheSameIdempotencyKeyTwiceAtOncePushesOnceAndAnswersTheSameCheckoutRequestId()
    {
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        Daraja.SetScenario(phone, FakeStkScenario.Success);
        var key = "order-" + Guid.NewGuid().ToString("N");

        var answers = await Task.WhenAll(Push(phone, 120, chatId, key), Push(LocalForm(phone), 120, chatId, key));
        var again = await Push(phone, 120, chatId, key);

        Assert.Single(Daraja.PushesTo(phone));
        Assert.Single(answers, a => a.Created);
        Assert.All(answers.Append(again), a => Assert.Equal(answers[0].CheckoutRequestId, a.CheckoutRequestId));
        await WaitForStatusAsync(answers[0].CheckoutRequestId, TransactionStatus.Success);
    }

    [Fact]
    public async Task WrongCredentialsGiveAClearErrorWithDarajasOwnMessage()
    {
        var (phone, chatId) = MpesaSystemFixture.NewPayer();
        Daraja.ConsumerSecret = "rotated-by-the-shop-owner";
        Daraja.InvalidateCurrentToken();
        try
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => Push(phone, 10, chatId));

            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            Assert.Contains("Invalid Authentication passed", error.Status.Detail, StringComparison.Ordinal);
            Assert.Equal("400.008.01", error.Trailers.GetValue("daraja-error-code"));
            Assert.Empty(Daraja.PushesTo(phone));
        }
        finally
        {
            Daraja.ConsumerSecret = FakeDarajaApi.DefaultConsumerSecret;
        }
    }

    [Fact]
    public async Task InputDarajaWouldRefuseIsRefusedBeforeDarajaIsAskedNamingTheField()
    {
        var (phone, chatId) = MpesaSystemFixture.NewPayer();

        var error = await Assert.ThrowsAsync<RpcException>(() => Push(phone, 250_001, chatId));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("amount", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(Daraja.PushesTo(phone));
    }

    [Fact]
    public async Task HealthSaysDarajaIsConfigured()
    {
        using var response = await system.Gateway.GetAsync("/health");
        var body = await MpesaSystemFixture.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("configured (sandbox, shortcode 174379)", body.GetProperty("daraja").GetString());
    }

    [Fact]
    public async Task TheDashboardCommandReconcilesPendingPaymentsNow()
    {
        var commands = system.App.Services.GetRequiredService<ResourceCommandService>();

        var result = await commands.ExecuteCommandAsync("transaction-service", "reconcile-pending-now");

        Assert.True(result.Success, result.Message);
    }

    private async Task<InitiateStkPushResponse> Push(string phone, long amount, long chatId, string? key = null) =>
        await system.TransactionsClient().InitiateStkPushAsync(new InitiateStkPushRequest
        {
            PhoneNumber = phone,
            Amount = amount,
            AccountReference = "ORDER-1",
            Description = "Shop order",
            TelegramChatId = chatId,
            IdempotencyKey = key ?? Guid.NewGuid().ToString("N"),
        });

    /// <summary>Exactly one admin message and one receipt, once everything queued has been delivered.</summary>
    private async Task AssertNotifiedOnceAsync(string checkoutRequestId, long chatId)
    {
        await Telegram.WaitForMessagesAsync(ForAdmin(checkoutRequestId), 1, Patience);
        await Telegram.WaitForMessagesAsync(m => m.ChatId == chatId, 1, Patience);
        await system.WaitForOutboxDrainedAsync(Patience);
        var isAdmin = ForAdmin(checkoutRequestId);
        Assert.Single(Telegram.Messages, m => isAdmin(m));
        Assert.Single(Telegram.Messages, m => m.ChatId == chatId);
    }

    private Task<Transaction> WaitForStatusAsync(string checkoutRequestId, TransactionStatus status) =>
        WaitForAsync(checkoutRequestId, t => t.Status == status);

    private async Task<Transaction> WaitForAsync(string checkoutRequestId, Func<Transaction, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var client = system.TransactionsClient();
        Transaction? last = null;
        while (true)
        {
            try
            {
                last = (await client.GetTransactionAsync(new GetTransactionRequest { CheckoutRequestId = checkoutRequestId })).Transaction;
                if (condition(last))
                {
                    return last;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Transaction {checkoutRequestId} did not reach the expected state within {Patience}; last seen: {last}");
            }
        }
    }

    private static string LocalForm(string phone) => "0" + phone[3..];

    private static Func<FakeTelegramMessage, bool> ForAdmin(string checkoutRequestId) =>
        m => m.ChatId == MpesaSystemFixture.AdminChatId && m.Text.Contains(checkoutRequestId, StringComparison.Ordinal);
}
