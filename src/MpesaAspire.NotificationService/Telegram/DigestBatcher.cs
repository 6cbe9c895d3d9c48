using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// The admin chat's queue. Admin messages wait here for the admin chat's next slot; when the slot
/// comes, a lone message goes out in the product's full format, but when at least
/// <see cref="TelegramOptions.DigestThreshold"/> are waiting they go out as ONE digest (as many as
/// fit in 4096 characters; the rest take the next slot), and every request it covered is answered
/// with the digest's message id. The admin chat therefore never falls behind, whatever the rate.
/// </summary>
internal sealed class DigestBatcher(
    ChatPacer pacer,
    TelegramDelivery delivery,
    ChatMigrations migrations,
    DeliveredNotifications delivered,
    NotificationMetrics metrics,
    IOptions<TelegramOptions> options,
    ILogger<DigestBatcher> logger) : IDisposable
{
    private static readonly ActivitySource ActivitySource = new(ServiceDefaultsExtensions.MpesaTelemetryName);

    private readonly Lock _gate = new();
    private readonly List<WaitingMessage> _waiting = [];
    private readonly CancellationTokenSource _stopping = new();
    private bool _draining;

    /// <summary>Queues an admin notification for <paramref name="adminChatId"/> and waits for its outcome.</summary>
    public async Task<SendOutcome> SendAsync(PaymentNotification notification, long adminChatId, CancellationToken cancellationToken)
    {
        var waiting = new WaitingMessage(notification);
        lock (_gate)
        {
            if (!_draining)
            {
                var stopping = _stopping.Token;
                _draining = true;

                // The loop outlives this request: it must not run under this request's trace.
                using (ExecutionContext.SuppressFlow())
                {
                    _ = Task.Run(() => DrainAsync(adminChatId, stopping), CancellationToken.None);
                }
            }

            _waiting.Add(waiting);
        }

        await using var withdraw = cancellationToken.Register(() => Withdraw(waiting, cancellationToken));
        try
        {
            return await waiting.Outcome.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (IsBeingSent(waiting))
        {
            // Already part of a message on its way: its outcome must reach the caller, or a message
            // Telegram took would be reported as never sent, and sent again.
            return await waiting.Outcome.Task;
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>True when the message left the queue for a send (it was not withdrawn).</summary>
    private bool IsBeingSent(WaitingMessage waiting)
    {
        lock (_gate)
        {
            return !_waiting.Contains(waiting) && !waiting.Outcome.Task.IsCanceled;
        }
    }

    private void Withdraw(WaitingMessage waiting, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_waiting.Remove(waiting))
            {
                waiting.Outcome.TrySetCanceled(cancellationToken);
            }
        }
    }

    /// <summary>Runs while messages wait: one admin-chat slot at a time, a full message or a digest per slot.</summary>
    private async Task DrainAsync(long adminChatId, CancellationToken stopping)
    {
        List<WaitingMessage> batch = [];
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_waiting.Count == 0)
                    {
                        _draining = false;
                        return;
                    }
                }

                var chatId = migrations.Resolve(adminChatId);
                var slot = await pacer.WaitForSlotAsync(chatId, stopping);

                lock (_gate)
                {
                    batch = TakeBatch(slot.IsGranted);
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                if (!slot.IsGranted)
                {
                    logger.PacingBoundExceeded(chatId, slot.RetryAfterSeconds);
                    Complete(batch, SendOutcome.Waiting(
                        slot.RetryAfterSeconds,
                        $"admin chat {chatId} is paced (Telegram limits): no slot within {options.Value.MaxPacingWait.TotalSeconds:0} s"));
                    continue;
                }

                var isDigest = batch.Count > 1;
                var message = isDigest
                    ? MessageRenderer.RenderDigest([.. batch.Select(w => w.Notification)])
                    : MessageRenderer.Render(batch[0].Notification);
                // The Telegram call belongs to the trace of the payment it reports (a digest: the first
                // one's, linked to the others').
                using var activity = ActivitySource.StartActivity(
                    isDigest ? "send admin digest" : "send admin message",
                    ActivityKind.Internal,
                    batch[0].Origin,
                    links: [.. batch.Skip(1).Where(w => w.Origin != default).Select(w => new ActivityLink(w.Origin))]);
                activity?.SetTag("mpesa.notifications", batch.Count);
                var outcome = await delivery.SendAsync(adminChatId, message, slotHeld: true, beforeSend: null, stopping);
                if (isDigest && outcome.Status == SendStatus.Delivered)
                {
                    metrics.DigestSent();
                    logger.AdminDigestSent(batch.Count, outcome.MigratedToChatId ?? chatId, outcome.MessageId);
                }

                Complete(batch, outcome);
                batch = [];
            }
        }
        catch (Exception exception)
        {
            if (!stopping.IsCancellationRequested)
            {
                logger.AdminQueueFailed(adminChatId, exception);
            }

            lock (_gate)
            {
                batch.AddRange(_waiting);
                _waiting.Clear();
                _draining = false;
            }

            var outcome = SendOutcome.Retry(options.Value.TransientRetryAfterSeconds, "the admin queue stopped: " + exception.Message);
            Complete(batch, outcome);
        }
    }

    /// <summary>Under the lock: everything waiting when no slot is granted, else a digest's worth or the first message.</summary>
    private List<WaitingMessage> TakeBatch(bool slotGranted)
    {
        int count;
        if (!slotGranted)
        {
            count = _waiting.Count;
        }
        else if (_waiting.Count >= options.Value.DigestThreshold)
        {
            count = MessageRenderer.DigestCapacity([.. _waiting.Select(w => w.Notification)]);
        }
        else
        {
            count = Math.Min(1, _waiting.Count);
        }

        var batch = _waiting.GetRange(0, count);
        _waiting.RemoveRange(0, count);
        return batch;
    }

    private void Complete(List<WaitingMessage> batch, SendOutcome outcome)
    {
        foreach (var waiting in batch)
        {
            if (outcome.Status == SendStatus.Delivered)
            {
                // Recorded here, not by the caller: a caller that gave up must still not cause a resend.
                delivered.Remember(waiting.Notification.NotificationId, outcome);
            }

            waiting.Outcome.TrySetResult(outcome);
        }
    }

    private sealed class WaitingMessage(PaymentNotification notification)
    {
        public PaymentNotification Notification { get; } = notification;

        /// <summary>The trace of the request that queued it.</summary>
        public ActivityContext Origin { get; } = Activity.Current?.Context ?? default;

        public TaskCompletionSource<SendOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
