namespace MpesaAspire.CallbackGateway;

/// <summary>How queued notifications are delivered and re-driven (section <c>Notifications</c>).</summary>
public sealed class NotificationsOptions
{
    public const string SectionName = "Notifications";

    /// <summary>How often the relay asks the transaction service for notifications still pending.</summary>
    public TimeSpan RelayInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a leased notification stays ours before another caller may take it.</summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How many notifications the relay leases at a time (1..100).</summary>
    public int RelayBatchSize { get; set; } = 20;

    /// <summary>The longest pause of the relay while the transaction service is unreachable.</summary>
    public TimeSpan MaxRelayBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many notifications are delivered at the same time.</summary>
    public int MaxInFlight { get; set; } = 16;

    /// <summary>How many hand-offs may wait for delivery; beyond that they are dropped and re-driven by the relay.</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Deadline of one send through the notification service, which paces to Telegram's limits.</summary>
    public TimeSpan SendDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline of recording a delivery's outcome in the transaction service.</summary>
    public TimeSpan CompleteDeadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First retry delay when the notification service is unreachable; doubles with every attempt.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest retry delay asked for when the notification service is unreachable.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromMinutes(5);
}
