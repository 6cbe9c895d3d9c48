namespace MpesaAspire.NotificationService.Telegram;

/// <summary>How a send ended.</summary>
internal enum SendStatus
{
    /// <summary>Telegram accepted it (or dry-run rendered and logged it).</summary>
    Delivered,

    /// <summary>Telegram refused for good, or it can never be sent: do not retry.</summary>
    FailedPermanently,

    /// <summary>Not sent now: retry after the given number of seconds.</summary>
    Retry,

    /// <summary>The request may have reached Telegram but no answer came: whether it was delivered is unknown.</summary>
    Uncertain,

    /// <summary>Not attempted: configuration it needs is missing (the admin chat); try again later.</summary>
    Waiting,
}
