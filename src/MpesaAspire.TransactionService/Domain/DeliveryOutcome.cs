namespace MpesaAspire.TransactionService.Domain;

/// <summary>How one delivery attempt of a notification ended.</summary>
public enum DeliveryOutcome
{
    Delivered,
    FailedPermanently,
    Retry,

    /// <summary>The request may have reached Telegram; no answer came.</summary>
    Uncertain,

    /// <summary>Rendered and logged in dry-run mode.</summary>
    DryRun,

    /// <summary>Not attempted: the notification service waits for configuration (the admin chat).</summary>
    Waiting,
}
