using Grpc.Core;
using MpesaAspire.NotificationService.Delivery;
using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.Notifications.V1;

namespace MpesaAspire.NotificationService.Grpc;

/// <summary>
/// <c>notification.proto</c>'s Notifications service: a nudge to look at the outbox now, and the
/// bot's status. Delivery itself runs in the background (<see cref="OutboxDeliveryService"/>).
/// </summary>
internal sealed class NotificationsGrpcService(DeliveryWakeUp wakeUp, BotStatusMonitor botStatus)
    : Notifications.V1.Notifications.NotificationsBase
{
    public override Task<DeliverNowResponse> DeliverNow(DeliverNowRequest request, ServerCallContext context)
    {
        wakeUp.Signal();
        return Task.FromResult(new DeliverNowResponse());
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
}
