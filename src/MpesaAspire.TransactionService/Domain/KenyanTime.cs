using System.Globalization;

namespace MpesaAspire.TransactionService.Domain;

/// <summary>
/// Kenyan local time (EAT), the clock M-Pesa's TransactionDate is written in: UTC+3 all year, since
/// Kenya has no daylight saving time. A fixed offset, so no time-zone database is needed.
/// </summary>
public static class KenyanTime
{
    public const string MpesaTimestampFormat = "yyyyMMddHHmmss";
    public const string DisplayFormat = "yyyy-MM-dd HH:mm:ss";

    public static readonly TimeSpan Offset = TimeSpan.FromHours(3);

    /// <summary>Parses M-Pesa's yyyyMMddHHmmss (e.g. 20191219102115) into a Kenyan wall-clock time.</summary>
    public static bool TryParseMpesaTimestamp(string? value, out DateTime kenyanLocal)
    {
        var parsed = DateTime.TryParseExact(
            value?.Trim(), MpesaTimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out kenyanLocal);
        kenyanLocal = DateTime.SpecifyKind(kenyanLocal, DateTimeKind.Unspecified);
        return parsed;
    }

    /// <summary>The Kenyan wall-clock time of an instant.</summary>
    public static DateTime FromUtc(DateTime utc) =>
        DateTime.SpecifyKind(DateTime.SpecifyKind(utc, DateTimeKind.Utc).Add(Offset), DateTimeKind.Unspecified);

    /// <summary>yyyy-MM-dd HH:mm:ss of a Kenyan wall-clock time.</summary>
    public static string Format(DateTime kenyanLocal) => kenyanLocal.ToString(DisplayFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The date a notification shows: the M-Pesa transaction date when known, else when the callback was
    /// received (converted to Kenyan time), else empty.
    /// </summary>
    public static string NotificationDate(DateTime? transactionDate, DateTime? receivedAtUtc) =>
        transactionDate is { } kenyan ? Format(kenyan)
        : receivedAtUtc is { } utc ? Format(FromUtc(utc))
        : "";
}
