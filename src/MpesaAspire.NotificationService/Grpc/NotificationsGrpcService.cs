using Grpc.Core;
using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.Notifications.V1;

namespace MpesaAspire.NotificationService.Grpc;

/// <summary>
/// <c>notification.proto</c>'s Notifications service: maps the request, hands it to the Telegram
/// sender and maps the outcome back. A request that can never be sent as given (no kind, no id,
/// a receipt without a chat, an amount that is not a number) is INVALID_ARGUMENT.
/// </summary>
internal sealed class NotificationsGrpcService(TelegramSender sender, BotStatusMonitor botStatus, IHostApplicationLifetime lifetime)
    : Notifications.V1.Notifications.NotificationsBase
{
    public override async Task<SendPaymentNotificationResponse> SendPaymentNotification(SendPaymentNotificationRequest request, ServerCallContext context)
    {
        var notification = ToNotification(request);

        // A request waiting for its pacing slot when the service stops is answered "retry" at once,
        // so a restart is never held up by Telegram's pace.
        using var callOrStopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        SendOutcome outcome;
        try
        {
            outcome = await sender.SendAsync(notification, callOrStopping.Token);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            outcome = SendOutcome.Retry(1, "the notification service is stopping");
        }

        var response = new SendPaymentNotificationResponse
        {
            Result = outcome.Status switch
            {
                SendStatus.Delivered => SendResult.Delivered,
                SendStatus.FailedPermanently => SendResult.FailedPermanently,
                _ => SendResult.Retry,
            },
            RetryAfterSeconds = outcome.RetryAfterSeconds,
            Detail = outcome.Detail,
            TelegramMessageId = outcome.MessageId,
            DryRun = outcome.DryRun,
        };
        if (outcome.MigratedToChatId is { } migratedTo)
        {
            response.MigratedToChatId = migratedTo;
        }

        return response;
    }

    public override async Task<GetBotStatusResponse> GetBotStatus(GetBotStatusRequest request, ServerCallContext context)
    {
        var status = await botStatus.GetStatusAsync(context.CancellationToken);
        return new GetBotStatusResponse
        {
            Status = status.Status,
            DryRun = status.DryRun,
            Healthy = status.Healthy,
            Username = status.Username,
        };
    }

    private static PaymentNotification ToNotification(SendPaymentNotificationRequest request)
    {
        var kind = request.Kind switch
        {
            MessageKind.AdminSuccess => NotificationKind.AdminSuccess,
            MessageKind.AdminFailure => NotificationKind.AdminFailure,
            MessageKind.UserReceipt => NotificationKind.UserReceipt,
            _ => throw Invalid($"kind must be MESSAGE_KIND_ADMIN_SUCCESS, MESSAGE_KIND_ADMIN_FAILURE or MESSAGE_KIND_USER_RECEIPT (got {request.Kind})."),
        };

        if (request.NotificationId <= 0)
        {
            throw Invalid("notification_id must be the positive outbox id (it is the idempotency key).");
        }

        if (kind == NotificationKind.UserReceipt && (!request.HasChatId || request.ChatId == 0))
        {
            throw Invalid("chat_id is required for MESSAGE_KIND_USER_RECEIPT (the payer's Telegram chat).");
        }

        if (string.IsNullOrWhiteSpace(request.CheckoutRequestId))
        {
            throw Invalid("checkout_request_id is required.");
        }

        decimal? amount = null;
        if (!string.IsNullOrWhiteSpace(request.Amount))
        {
            if (!AmountFormatting.TryParse(request.Amount, out var parsed))
            {
                throw Invalid($"amount must be a decimal string such as \"1000\" or \"1.00\" (got \"{request.Amount}\").");
            }

            amount = parsed;
        }

        return new PaymentNotification(
            request.NotificationId,
            kind,
            request.HasChatId ? request.ChatId : null,
            request.CheckoutRequestId,
            amount,
            request.PhoneNumber,
            request.MpesaReceiptNumber,
            request.Reason,
            request.Date);
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
