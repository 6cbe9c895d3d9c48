using Microsoft.Extensions.Options;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// The notification ids already delivered, with their outcome, so a repeat answers the same message
/// id without sending again. Bounded: the last <see cref="TelegramOptions.DeliveredMemorySize"/> ids,
/// each for <see cref="TelegramOptions.DeliveredMemoryAge"/>; the caller's outbox is the durable record.
/// </summary>
internal sealed class DeliveredNotifications(TimeProvider time, IOptions<TelegramOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Entry> _byId = [];
    private readonly Queue<(long NotificationId, DateTimeOffset DeliveredAt)> _order = new();

    public bool TryGet(long notificationId, out SendOutcome outcome)
    {
        lock (_gate)
        {
            ForgetExpired(time.GetUtcNow());
            if (_byId.TryGetValue(notificationId, out var entry))
            {
                outcome = entry.Outcome;
                return true;
            }
        }

        outcome = null!;
        return false;
    }

    public void Remember(long notificationId, SendOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _byId[notificationId] = new Entry(outcome, now);
            _order.Enqueue((notificationId, now));
            ForgetExpired(now);
        }
    }

    private void ForgetExpired(DateTimeOffset now)
    {
        var settings = options.Value;
        var oldest = now - settings.DeliveredMemoryAge;
        while (_order.TryPeek(out var head) && (_byId.Count > settings.DeliveredMemorySize || head.DeliveredAt < oldest || _order.Count > 2 * settings.DeliveredMemorySize))
        {
            _order.Dequeue();
            if (_byId.TryGetValue(head.NotificationId, out var entry) && entry.DeliveredAt == head.DeliveredAt)
            {
                _byId.Remove(head.NotificationId);
            }
        }
    }

    private readonly record struct Entry(SendOutcome Outcome, DateTimeOffset DeliveredAt);
}
