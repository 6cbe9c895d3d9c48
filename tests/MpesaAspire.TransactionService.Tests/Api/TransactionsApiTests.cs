using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using MpesaAspire.TestSupport;
using MpesaAspire.Transactions.V1;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Api;

/// <summary>The gRPC contract as the gateway and the notification relay see it, through the service's own pipeline.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class TransactionsApiTests(MariaDbFixture fixture) : IAsyncLifetime, IDisposable
{
    private TransactionServiceFactory _factory = null!;
    private TransactionsClient _client = null!;

    public async Task InitializeAsync()
    {
        var store = await fixture.StoreForClassAsync(GetType());
        _factory = new TransactionServiceFactory(store.ConnectionString);
        _client = new TransactionsClient(_factory.CreateChannel().CreateCallInvoker());
        await ServiceHealth.WaitUntilHealthyAsync(_factory.CreateClient());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task HealthReportsHealthyOverHttpAndGrpcOnceTheSchemaIsMigrated()
    {
        var http = await _factory.CreateClient().GetAsync(new Uri("/health", UriKind.Relative));
        var grpc = await new Health.HealthClient(_factory.CreateChannel()).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HttpStatusCode.OK, http.StatusCode);
        Assert.Equal("Healthy", await http.Content.ReadAsStringAsync());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, grpc.Status);
    }

    [Fact]
    public async Task ARecordedCallbackAnswersWithTheTransactionAndItsNotificationsReadyToSend()
    {
        var id = Support.Callbacks.NewCheckoutId();
        var request = Request(DarajaFixtures.ReadStkWithCheckoutId("seed-doc-success-1000", id), id, "0");
        request.ResultDesc = "The service request is processed successfully.";
        request.Amount = "1000";
        request.MpesaReceiptNumber = "NLJ7RT61SV";
        request.TransactionDate = "20191219102115";
        request.PhoneNumber = "254708374149";

        var response = await _client.RecordStkCallbackAsync(request);
        var repeat = await _client.RecordStkCallbackAsync(request);
        var read = await _client.GetTransactionAsync(new GetTransactionRequest { CheckoutRequestId = id });

        Assert.Equal(RecordOutcome.Applied, response.Outcome);
        Assert.Equal(TransactionStatus.Success, response.Transaction.Status);
        Assert.Equal("1000.00", response.Transaction.Amount);
        Assert.Equal("2019-12-19 10:21:15", response.Transaction.TransactionDate);
        var admin = Assert.Single(response.QueuedNotifications);
        Assert.Equal(NotificationKind.AdminSuccess, admin.Kind);
        Assert.False(admin.HasChatId);
        Assert.Equal("1000.00", admin.Amount);
        Assert.Equal("NLJ7RT61SV", admin.MpesaReceiptNumber);
        Assert.Equal("2019-12-19 10:21:15", admin.Date);
        Assert.Equal(RecordOutcome.Duplicate, repeat.Outcome);
        Assert.Empty(repeat.QueuedNotifications);
        Assert.Equal(response.Transaction, read.Transaction);
    }

    [Fact]
    public async Task AStringResultCodeIsRecordedAsAFailureWithItsRawCode()
    {
        var id = Support.Callbacks.NewCheckoutId();
        var request = Request(
            "{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"" + id + "\",\"ResultCode\":\"SFC_IC0003\"}}}", id, "SFC_IC0003");

        var response = await _client.RecordStkCallbackAsync(request);

        Assert.Equal(TransactionStatus.Failed, response.Transaction.Status);
        Assert.Equal("SFC_IC0003", response.Transaction.ResultCode);
        Assert.Equal(NotificationKind.AdminFailure, Assert.Single(response.QueuedNotifications).Kind);
    }

    [Theory]
    [InlineData("", "{}", "0", null, "checkout_request_id is required")]
    [InlineData("ws_CO_x", "", "0", null, "raw_payload is required")]
    [InlineData("ws_CO_x", "{}", "", null, "result_code is required")]
    [InlineData("ws_CO_x", "{}", "0", "12,50", "amount '12,50' is not a decimal number")]
    [InlineData("ws_CO_x", "{}", "0", "123456789", "amount '123456789' does not fit DECIMAL(10,2)")]
    public async Task ACallbackThatCannotBeRecordedFaithfullyIsRefusedWithTheFieldNamed(
        string checkoutRequestId, string rawPayload, string resultCode, string? amount, string message)
    {
        var request = Request(rawPayload, checkoutRequestId, resultCode);
        if (amount is not null)
        {
            request.Amount = amount;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.RecordStkCallbackAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableTransactionDateDoesNotCostThePayment()
    {
        var id = Support.Callbacks.NewCheckoutId();
        var request = Request("{\"raw\":true}", id, "0");
        request.Amount = "10";
        request.MpesaReceiptNumber = "ABC1234567";
        request.TransactionDate = "19-12-2019";

        var response = await _client.RecordStkCallbackAsync(request);

        Assert.Equal(TransactionStatus.Success, response.Transaction.Status);
        Assert.Equal("", response.Transaction.TransactionDate);
        // No M-Pesa date: the notification shows when the gateway received it, in Kenyan time.
        Assert.Equal("2025-03-01 12:00:00", response.QueuedNotifications[0].Date);
    }

    [Fact]
    public async Task AnUnknownTransactionIsNotFoundAndTheMessageNamesIt()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _client.GetTransactionAsync(new GetTransactionRequest { CheckoutRequestId = "ws_CO_nobody" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("ws_CO_nobody", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistrationNeedsAKenyanPhoneAndAnAmount()
    {
        var badPhone = await Assert.ThrowsAsync<RpcException>(() => _client.RegisterPendingTransactionAsync(new RegisterPendingTransactionRequest
        {
            CheckoutRequestId = "ws_CO_reg", PhoneNumber = "12345", Amount = "10",
        }));
        var noAmount = await Assert.ThrowsAsync<RpcException>(() => _client.RegisterPendingTransactionAsync(new RegisterPendingTransactionRequest
        {
            CheckoutRequestId = "ws_CO_reg", PhoneNumber = "0708374149",
        }));

        Assert.Equal(StatusCode.InvalidArgument, badPhone.StatusCode);
        Assert.Contains("phone_number '12345' is not a Kenyan mobile number", badPhone.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, noAmount.StatusCode);
        Assert.StartsWith("amount is required", noAmount.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegisteredUserReceivesTheReceiptOfAPaymentStartedFromTheirChat()
    {
        var id = Support.Callbacks.NewCheckoutId();
        var user = await _client.RegisterUserAsync(new RegisterUserRequest { TelegramChatId = 424242, PhoneNumber = "0722000111", FirstName = "Njeri" });
        var registered = await _client.RegisterPendingTransactionAsync(new RegisterPendingTransactionRequest
        {
            CheckoutRequestId = id, MerchantRequestId = "m-7", PhoneNumber = "+254722000111", Amount = "250.50", AccountReference = "ORDER-7",
            TelegramChatId = 424242,
        });
        var request = Request("{\"paid\":true}", id, "0");
        request.Amount = "250.5";
        request.MpesaReceiptNumber = "RCP0000007";
        request.PhoneNumber = "254722000111";

        var recorded = await _client.RecordStkCallbackAsync(request);

        Assert.True(user.Created);
        Assert.True(registered.Created);
        Assert.Equal("254722000111", registered.Transaction.PhoneNumber);
        Assert.Equal(TransactionStatus.Pending, registered.Transaction.Status);
        var receipt = Assert.Single(recorded.QueuedNotifications, n => n.Kind == NotificationKind.UserReceipt);
        Assert.Equal(424242, receipt.ChatId);
        Assert.Equal("250.50", receipt.Amount);
        Assert.Equal("ORDER-7", recorded.Transaction.AccountReference);

        var leaseToken = await LeaseTokenOfAsync(receipt.NotificationId);
        var completed = await _client.CompleteNotificationAsync(new CompleteNotificationRequest
        {
            NotificationId = receipt.NotificationId, Result = DeliveryResult.Delivered, TelegramMessageId = 99, LeaseToken = leaseToken,
        });
        var again = await _client.CompleteNotificationAsync(new CompleteNotificationRequest
        {
            NotificationId = receipt.NotificationId, Result = DeliveryResult.Delivered, TelegramMessageId = 99, LeaseToken = leaseToken,
        });
        Assert.True(completed.Applied);
        Assert.False(again.Applied);
    }

    [Fact]
    public async Task HistoryIsPagedWithAnOpaqueToken()
    {
        for (var i = 0; i < 3; i++)
        {
            await _client.RegisterPendingTransactionAsync(new RegisterPendingTransactionRequest
            {
                CheckoutRequestId = Support.Callbacks.NewCheckoutId(), PhoneNumber = "0733444555", Amount = "5",
            });
        }

        var first = await _client.ListTransactionsAsync(new ListTransactionsRequest { PhoneNumber = "0733444555", PageSize = 2 });
        var second = await _client.ListTransactionsAsync(new ListTransactionsRequest
        {
            PhoneNumber = "+254733444555", PageSize = 2, PageToken = first.NextPageToken,
        });
        var badSize = await Assert.ThrowsAsync<RpcException>(() => _client.ListTransactionsAsync(new ListTransactionsRequest { PageSize = 201 }));
        var badToken = await Assert.ThrowsAsync<RpcException>(() => _client.ListTransactionsAsync(new ListTransactionsRequest { PageToken = "nope" }));

        Assert.Equal(2, first.Transactions.Count);
        Assert.NotEmpty(first.NextPageToken);
        Assert.Single(second.Transactions);
        Assert.Empty(second.NextPageToken);
        Assert.Empty(first.Transactions.Select(t => t.Id).Intersect(second.Transactions.Select(t => t.Id)));
        Assert.Equal(StatusCode.InvalidArgument, badSize.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badToken.StatusCode);
    }

    [Fact]
    public async Task LeasingAndCompletingValidateTheirArguments()
    {
        var badLimit = await Assert.ThrowsAsync<RpcException>(
            () => _client.LeasePendingNotificationsAsync(new LeasePendingNotificationsRequest { Limit = 101 }));
        var noResult = await Assert.ThrowsAsync<RpcException>(
            () => _client.CompleteNotificationAsync(new CompleteNotificationRequest { NotificationId = 1 }));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => _client.CompleteNotificationAsync(
            new CompleteNotificationRequest { NotificationId = 999_999_999, Result = DeliveryResult.Delivered, LeaseToken = "no-lease" }));
        var noToken = await Assert.ThrowsAsync<RpcException>(() => _client.CompleteNotificationAsync(
            new CompleteNotificationRequest { NotificationId = 1, Result = DeliveryResult.Delivered }));

        Assert.Equal(StatusCode.InvalidArgument, badLimit.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, noResult.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, noToken.StatusCode);
    }

    /// <summary>Leases what is due (other tests' notifications too) until the one wanted comes up; its lease token.</summary>
    private async Task<string> LeaseTokenOfAsync(long notificationId)
    {
        while (true)
        {
            var lease = await _client.LeasePendingNotificationsAsync(new LeasePendingNotificationsRequest { Limit = 100 });
            Assert.NotEmpty(lease.Notifications);
            if (lease.Notifications.Any(n => n.NotificationId == notificationId))
            {
                return lease.LeaseToken;
            }
        }
    }

    [Fact]
    public async Task TheDatabaseCheckReportsTheServerVersion()
    {
        var check = await _client.CheckDatabaseAsync();

        Assert.True(check.Connected);
        Assert.Equal(fixture.Server.Version, check.Detail);
    }

    private static RecordStkCallbackRequest Request(string rawPayload, string checkoutRequestId, string resultCode) => new()
    {
        RawPayload = rawPayload,
        CheckoutRequestId = checkoutRequestId,
        MerchantRequestId = "29115-34620561-1",
        ResultCode = resultCode,
        ReceivedAt = Timestamp.FromDateTime(new DateTime(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc)),
    };
}
