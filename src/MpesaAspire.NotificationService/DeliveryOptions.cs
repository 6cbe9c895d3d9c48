namespace MpesaAspire.NotificationService;

/// <summary>
/// The <c>Delivery</c> section: how this service takes notifications from the transaction service's
/// outbox and reports their outcomes. The defaults suit production.
/// </summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>
    /// <c>Delivery:TransactionService</c>: the transaction service's gRPC address (service discovery
    /// resolves <c>_grpc.transaction-service</c>, its HTTP/2 endpoint).
    /// </summary>
    public Uri TransactionService { get; set; } = new("http://_grpc.transaction-service");

    /// <summary>
    /// <c>Delivery:PollInterval</c>: how often the outbox is looked at when nobody said something was
    /// queued (a recorded callback wakes the service at once).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>Delivery:BatchSize</c>: how many notifications are leased at a time (1..100).</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// <c>Delivery:MaxInFlight</c>: how many leased notifications this service holds at once, being sent
    /// or waiting (at most <c>Telegram:MaxPacingWait</c>) for their chat's slot. A chat whose slot is
    /// further away hands its notification back to the outbox instead of holding one of these, so a
    /// few seconds of Telegram's global rate is enough.
    /// </summary>
    public int MaxInFlight { get; set; } = 64;

    /// <summary>
    /// <c>Delivery:Lease</c>: how long a leased notification stays ours. Must cover the longest pacing
    /// wait plus one Telegram request plus reporting, or it could be taken over while being sent.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>Delivery:SenderLease</c>: with replicas, one instance sends (the holder of the transaction
    /// service's sender lease, renewed every third of this); a standby takes over within this long
    /// after the sender dies, at once when it stops cleanly.
    /// </summary>
    public TimeSpan SenderLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary><c>Delivery:CallDeadline</c>: the deadline of one call to the transaction service.</summary>
    public TimeSpan CallDeadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>Delivery:MaxBackoff</c>: the longest pause while the transaction service is unreachable.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Delivery:CountInterval</c>: how often the uncertain and dead-lettered notifications are counted for the metrics.</summary>
    public TimeSpan CountInterval { get; set; } = TimeSpan.FromMinutes(1);
}
