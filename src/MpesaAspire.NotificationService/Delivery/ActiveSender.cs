using Grpc.Core;
using Microsoft.Extensions.Options;
using MpesaAspire.Transactions.V1;
using OpenTelemetry;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.NotificationService.Delivery;

/// <summary>
/// Of all the notification-service instances, only one sends to Telegram at a time: the holder of the
/// transaction service's "telegram" sender lease. It renews the lease every third of its length; the
/// others ask as often and take over once it has run out (or at once when the holder stops and gives
/// it up). Telegram's per-chat and global limits then hold across replicas with one in-memory pacer.
/// </summary>
internal sealed class ActiveSender(
    TransactionsClient transactions,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ILogger<ActiveSender> logger)
{
    public const string Role = "telegram";

    /// <summary>Until when this instance may send (its lease, less a margin); MinValue when it holds none.</summary>
    private DateTimeOffset _heldUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _nextAsk = DateTimeOffset.MinValue;
    private bool _wasActive;
    private string? _otherHolder;

    /// <summary>This instance's id in the lease: made up once per process.</summary>
    public string Holder { get; } = NewHolderId();

    /// <summary>How long a standby waits before asking again.</summary>
    public TimeSpan AskInterval => options.Value.SenderLease / 3;

    /// <summary>True while this instance may send: it holds the lease (renewed when due).</summary>
    public async Task<bool> IsActiveAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        if (now >= _nextAsk)
        {
            _nextAsk = now + AskInterval;
            try
            {
                // A standby asks every few seconds for as long as it runs: no trace for that.
                AcquireSenderLeaseResponse answer;
                using (SuppressInstrumentationScope.Begin())
                {
                    answer = await transactions.AcquireSenderLeaseAsync(
                        new AcquireSenderLeaseRequest { Name = Role, Holder = Holder, LeaseSeconds = (int)settings.SenderLease.TotalSeconds },
                        deadline: now.UtcDateTime + settings.CallDeadline,
                        cancellationToken: cancellationToken);
                }

                // Counted from before the call, less a call's time: the lease in MySQL runs out later.
                _heldUntil = answer.Held ? now + settings.SenderLease - settings.CallDeadline : DateTimeOffset.MinValue;
                if (!answer.Held && answer.Holder != _otherHolder)
                {
                    logger.SenderStandingBy(answer.Holder);
                }

                _otherHolder = answer.Held ? null : answer.Holder;
            }
            catch (RpcException exception)
            {
                // Keep sending only while the lease we hold cannot have run out.
                logger.SenderLeaseUnknown($"{exception.StatusCode}: {exception.Status.Detail}");
            }
        }

        var active = time.GetUtcNow() < _heldUntil;
        if (active != _wasActive)
        {
            if (active)
            {
                logger.SenderActive(Holder);
            }
            else
            {
                logger.SenderNoLongerActive(Holder);
            }
        }

        _wasActive = active;
        return active;
    }

    /// <summary>Readable in logs (host and process), unique with the random part; at most 64 characters.</summary>
    private static string NewHolderId()
    {
        var id = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        return id.Length <= 64 ? id : id[^64..];
    }

    /// <summary>Gives the lease up when this instance stops, so a standby takes over without waiting for it to run out.</summary>
    public async Task ReleaseAsync()
    {
        if (_heldUntil <= time.GetUtcNow())
        {
            return;
        }

        _heldUntil = DateTimeOffset.MinValue;
        try
        {
            using (SuppressInstrumentationScope.Begin())
            {
                await transactions.ReleaseSenderLeaseAsync(
                    new ReleaseSenderLeaseRequest { Name = Role, Holder = Holder },
                    deadline: time.GetUtcNow().UtcDateTime + options.Value.CallDeadline);
            }
        }
        catch (RpcException exception)
        {
            logger.SenderLeaseUnknown($"{exception.StatusCode}: {exception.Status.Detail}");
        }
    }
}
