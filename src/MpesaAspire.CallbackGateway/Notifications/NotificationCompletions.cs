using Grpc.Core;
using MpesaAspire.Notifications.V1;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.CallbackGateway.Notifications;

/// <summary>
/// Translates between the two contracts: an outbox entry into the message to send, and the
/// send's answer (or failure) into the outcome the outbox records.
/// </summary>
public static class NotificationCompletions
{
    /// <summary>The send request for an outbox entry: kinds and fields map one to one.</summary>
    public static SendPaymentNotificationRequest ToSendRequest(PendingNotification notification)
    {
        var request = new SendPaymentNotificationRequest
        {
            NotificationId = notification.NotificationId,
            Kind = notification.Kind switch
            {
                NotificationKind.AdminSuccess => MessageKind.AdminSuccess,
                NotificationKind.AdminFailure => MessageKind.AdminFailure,
                NotificationKind.UserReceipt => MessageKind.UserReceipt,
                _ => MessageKind.Unspecified,
            },
            CheckoutRequestId = notification.CheckoutRequestId,
            Amount = notification.Amount,
            PhoneNumber = notification.PhoneNumber,
            MpesaReceiptNumber = notification.MpesaReceiptNumber,
            Reason = notification.Reason,
            Date = notification.Date,
        };

        if (notification.HasChatId)
        {
            request.ChatId = notification.ChatId;
        }

        return request;
    }

    /// <summary>What the outbox records after the notification service answered.</summary>
    public static CompleteNotificationRequest FromResponse(
        PendingNotification notification, SendPaymentNotificationResponse response, TimeSpan retryBackoff)
    {
        var completion = new CompleteNotificationRequest
        {
            NotificationId = notification.NotificationId,
            Detail = response.Detail,
        };

        switch (response.Result)
        {
            case SendResult.Delivered:
                completion.Result = DeliveryResult.Delivered;
                completion.TelegramMessageId = response.TelegramMessageId;
                break;

            case SendResult.FailedPermanently:
                completion.Result = DeliveryResult.FailedPermanently;
                break;

            case SendResult.Retry:
                completion.Result = DeliveryResult.Retry;
                completion.RetryAfterSeconds = response.RetryAfterSeconds > 0 ? response.RetryAfterSeconds : Seconds(retryBackoff);
                break;

            default:
                completion.Result = DeliveryResult.Retry;
                completion.RetryAfterSeconds = Seconds(retryBackoff);
                completion.Detail = $"unexpected send result {response.Result}: {response.Detail}";
                break;
        }

        if (response.HasMigratedToChatId)
        {
            completion.MigratedToChatId = response.MigratedToChatId;
        }

        return completion;
    }

    /// <summary>
    /// What the outbox records when the notification service did not answer: a request it refused
    /// as invalid will never succeed; anything else (unreachable, deadline, internal) is retried later.
    /// </summary>
    public static CompleteNotificationRequest FromFailure(PendingNotification notification, RpcException failure, TimeSpan retryBackoff)
    {
        var permanent = failure.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition;
        return new CompleteNotificationRequest
        {
            NotificationId = notification.NotificationId,
            Result = permanent ? DeliveryResult.FailedPermanently : DeliveryResult.Retry,
            RetryAfterSeconds = permanent ? 0 : Seconds(retryBackoff),
            Detail = $"notification-service {failure.StatusCode}: {failure.Status.Detail}",
        };
    }

    /// <summary>The delay before the next attempt when the service gave none: doubles per attempt, capped.</summary>
    public static TimeSpan Backoff(int attempts, TimeSpan first, TimeSpan max)
    {
        var exponent = Math.Clamp(attempts, 0, 20);
        var delay = first * Math.Pow(2, exponent);
        return delay < max ? delay : max;
    }

    private static int Seconds(TimeSpan delay) => Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds));
}
