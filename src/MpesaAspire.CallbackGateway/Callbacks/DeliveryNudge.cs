using Grpc.Core;
using MpesaAspire.Notifications.V1;
using NotificationsClient = MpesaAspire.Notifications.V1.Notifications.NotificationsClient;

namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>
/// Tells the notification service that recording queued notifications, so it delivers them at once
/// rather than at its next poll. Ids only, fire and forget: the gateway keeps no delivery state, and
/// a lost nudge only delays delivery until the notification service's next look at the outbox.
/// </summary>
public sealed partial class DeliveryNudge(NotificationsClient notifications, TimeProvider timeProvider, ILogger<DeliveryNudge> logger)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    /// <summary>Sends the nudge in the background; never waits and never throws.</summary>
    public void Send(IReadOnlyCollection<long> notificationIds)
    {
        ArgumentNullException.ThrowIfNull(notificationIds);
        if (notificationIds.Count > 0)
        {
            _ = SendAsync(notificationIds);
        }
    }

    private async Task SendAsync(IReadOnlyCollection<long> notificationIds)
    {
        try
        {
            await notifications.DeliverNowAsync(
                new DeliverNowRequest { NotificationIds = { notificationIds } },
                deadline: timeProvider.GetUtcNow().UtcDateTime + Deadline,
                cancellationToken: CancellationToken.None);
        }
        catch (RpcException exception)
        {
            LogNudgeFailed(logger, exception.StatusCode.ToString(), notificationIds.Count);
        }
    }

    [LoggerMessage(EventId = 6400, Level = LogLevel.Debug,
        Message = "The notification service did not take the nudge ({StatusCode}): its next poll delivers the {Count} notification(s)")]
    private static partial void LogNudgeFailed(ILogger logger, string statusCode, int count);
}
