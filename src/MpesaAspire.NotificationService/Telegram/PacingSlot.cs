namespace MpesaAspire.NotificationService.Telegram;

/// <summary>The pacer's answer: send now, or the chat has no slot within the bound and the caller should retry.</summary>
internal readonly record struct PacingSlot(bool IsGranted, int RetryAfterSeconds)
{
    public static PacingSlot Granted => new(true, 0);

    public static PacingSlot Refused(int retryAfterSeconds) => new(false, Math.Max(1, retryAfterSeconds));
}
