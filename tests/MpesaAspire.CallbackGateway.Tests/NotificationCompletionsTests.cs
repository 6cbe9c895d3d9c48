using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MpesaAspire.CallbackGateway.Notifications;
using MpesaAspire.Notifications.V1;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.CallbackGateway.Tests;

public sealed class NotificationCompletionsTests
{
    private static readonly TimeSpan Backoff = TimeSpan.FromSeconds(20);

    [Fact]
    public void AnOutboxEntryIsSentWithEveryFieldAsQueued()
    {
        var request = NotificationCompletions.ToSendRequest(Receipt());

        Assert.Equal(42, request.NotificationId);
        Assert.Equal(MessageKind.UserReceipt, request.Kind);
        Assert.Equal(987654321012L, request.ChatId);
        Assert.Equal("ws_CO_191220191020363925", request.CheckoutRequestId);
        Assert.Equal("1000.00", request.Amount);
        Assert.Equal("254708374149", request.PhoneNumber);
        Assert.Equal("NLJ7RT61SV", request.MpesaReceiptNumber);
        Assert.Equal("2019-12-19 10:21:15", request.Date);
    }

    [Theory]
    [InlineData(NotificationKind.AdminSuccess, MessageKind.AdminSuccess)]
    [InlineData(NotificationKind.AdminFailure, MessageKind.AdminFailure)]
    [InlineData(NotificationKind.UserReceipt, MessageKind.UserReceipt)]
    public void EachKindOfNotificationBecomesTheSameKindOfMessage(NotificationKind kind, MessageKind expected)
    {
        var notification = Receipt();
        notification.Kind = kind;

        Assert.Equal(expected, NotificationCompletions.ToSendRequest(notification).Kind);
    }

    [Fact]
    public void AnAdminNotificationIsSentWithoutAChat()
    {
        var notification = new PendingNotification
        {
            NotificationId = 7,
            Kind = NotificationKind.AdminFailure,
            CheckoutRequestId = "ws_CO_1",
            Reason = "Request cancelled by user",
        };

        var request = NotificationCompletions.ToSendRequest(notification);

        Assert.False(request.HasChatId);
        Assert.Equal("Request cancelled by user", request.Reason);
    }

    [Fact]
    public void ADeliveredMessageIsRecordedWithTelegramsMessageId()
    {
        var completion = NotificationCompletions.FromResponse(
            Receipt(), new SendPaymentNotificationResponse { Result = SendResult.Delivered, TelegramMessageId = 555, Detail = "ok" }, Backoff);

        Assert.Equal(42, completion.NotificationId);
        Assert.Equal(DeliveryResult.Delivered, completion.Result);
        Assert.Equal(555, completion.TelegramMessageId);
        Assert.False(completion.HasMigratedToChatId);
    }

    [Fact]
    public void AMessageToAChatThatBecameASupergroupRecordsTheNewChat()
    {
        var completion = NotificationCompletions.FromResponse(
            Receipt(),
            new SendPaymentNotificationResponse { Result = SendResult.Delivered, TelegramMessageId = 9, MigratedToChatId = -1001234567890 },
            Backoff);

        Assert.Equal(-1001234567890, completion.MigratedToChatId);
    }

    [Fact]
    public void ABlockedChatIsRecordedAsFailedForGood()
    {
        var completion = NotificationCompletions.FromResponse(
            Receipt(),
            new SendPaymentNotificationResponse { Result = SendResult.FailedPermanently, Detail = "Forbidden: bot was blocked by the user" },
            Backoff);

        Assert.Equal(DeliveryResult.FailedPermanently, completion.Result);
        Assert.Equal("Forbidden: bot was blocked by the user", completion.Detail);
    }

    [Fact]
    public void ARateLimitedMessageIsRetriedAfterTelegramsRetryAfter()
    {
        var completion = NotificationCompletions.FromResponse(
            Receipt(), new SendPaymentNotificationResponse { Result = SendResult.Retry, RetryAfterSeconds = 7 }, Backoff);

        Assert.Equal(DeliveryResult.Retry, completion.Result);
        Assert.Equal(7, completion.RetryAfterSeconds);
    }

    [Fact]
    public void ARetryWithoutADelayUsesTheBackoff()
    {
        var completion = NotificationCompletions.FromResponse(
            Receipt(), new SendPaymentNotificationResponse { Result = SendResult.Retry }, Backoff);

        Assert.Equal(20, completion.RetryAfterSeconds);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Internal)]
    public void AnUnreachableNotificationServiceMeansTryAgainLater(StatusCode statusCode)
    {
        var completion = NotificationCompletions.FromFailure(Receipt(), new RpcException(new Status(statusCode, "down")), Backoff);

        Assert.Equal(DeliveryResult.Retry, completion.Result);
        Assert.Equal(20, completion.RetryAfterSeconds);
        Assert.Contains(statusCode.ToString(), completion.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ANotificationTheServiceRefusesAsInvalidIsNotRetriedForever()
    {
        var completion = NotificationCompletions.FromFailure(
            Receipt(), new RpcException(new Status(StatusCode.InvalidArgument, "chat_id is required for a user receipt")), Backoff);

        Assert.Equal(DeliveryResult.FailedPermanently, completion.Result);
        Assert.Contains("chat_id is required", completion.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 10)]
    [InlineData(3, 40)]
    [InlineData(10, 300)]
    [InlineData(1000, 300)]
    public void TheBackoffDoublesWithEveryAttemptUpToItsCap(int attempts, int expectedSeconds)
    {
        var delay = NotificationCompletions.Backoff(attempts, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    private static PendingNotification Receipt() => new()
    {
        NotificationId = 42,
        Kind = NotificationKind.UserReceipt,
        ChatId = 987654321012L,
        CheckoutRequestId = "ws_CO_191220191020363925",
        Amount = "1000.00",
        PhoneNumber = "254708374149",
        MpesaReceiptNumber = "NLJ7RT61SV",
        Date = "2019-12-19 10:21:15",
        Attempts = 2,
        QueuedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2019, 12, 19, 7, 21, 20, TimeSpan.Zero)),
    };
}
