using System.Diagnostics.Metrics;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>The notification service's instruments, under the shared "MpesaAspire" meter.</summary>
internal sealed class NotificationMetrics
{
    public const string MeterName = "MpesaAspire";

    private readonly Counter<long> _notifications;
    private readonly Counter<long> _telegramFailures;
    private readonly Counter<long> _digests;

    public NotificationMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _notifications = meter.CreateCounter<long>(
            "mpesa.notifications.sent", unit: "{notification}", description: "Payment notifications handled, by kind and result.");
        _telegramFailures = meter.CreateCounter<long>(
            "mpesa.telegram.failures", unit: "{call}", description: "Telegram Bot API calls that failed, by error code (or 'network').");
        _digests = meter.CreateCounter<long>(
            "mpesa.notifications.digests", unit: "{message}", description: "Admin digests sent in place of several admin messages.");
    }

    public void NotificationHandled(NotificationKind kind, SendOutcome outcome) => _notifications.Add(
        1,
        new KeyValuePair<string, object?>("kind", KindName(kind)),
        new KeyValuePair<string, object?>("result", ResultName(outcome.Status)),
        new KeyValuePair<string, object?>("dry_run", outcome.DryRun));

    public void TelegramFailed(string code) => _telegramFailures.Add(1, new KeyValuePair<string, object?>("code", code));

    public void DigestSent() => _digests.Add(1);

    public static string KindName(NotificationKind kind) => kind switch
    {
        NotificationKind.AdminSuccess => "admin_success",
        NotificationKind.AdminFailure => "admin_failure",
        NotificationKind.UserReceipt => "user_receipt",
        NotificationKind.AdminUnverified => "admin_unverified",
        NotificationKind.AdminConflict => "admin_conflict",
        _ => "unknown",
    };

    private static string ResultName(SendStatus status) => status switch
    {
        SendStatus.Delivered => "delivered",
        SendStatus.FailedPermanently => "failed_permanently",
        SendStatus.Retry => "retry",
        SendStatus.Uncertain => "uncertain",
        SendStatus.Waiting => "waiting",
        _ => "unknown",
    };
}
