namespace MpesaAspire.TransactionService.Domain;

/// <summary>The outcome of one delivery attempt, reported by whoever leased the notification.</summary>
public sealed record DeliveryReport
{
    public required long NotificationId { get; init; }

    public required DeliveryOutcome Outcome { get; init; }

    /// <summary>The token of the lease the reporter holds.</summary>
    public required string LeaseToken { get; init; }

    /// <summary>For <see cref="DeliveryOutcome.Retry"/>: the earliest retry Telegram allows.</summary>
    public TimeSpan RetryAfter { get; init; }

    public string? Detail { get; init; }

    public long? TelegramMessageId { get; init; }

    /// <summary>The chat id to use from now on, when the chat moved (group became a supergroup).</summary>
    public long? MigratedToChatId { get; init; }
}
