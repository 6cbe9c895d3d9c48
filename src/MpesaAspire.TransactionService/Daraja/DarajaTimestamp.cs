using System.Globalization;
using System.Text;

namespace MpesaAspire.TransactionService.Daraja;

/// <summary>
/// The <c>Timestamp</c> and <c>Password</c> of pushes and queries. Daraja reads the timestamp as Kenyan
/// time (Africa/Nairobi, UTC+3, no DST): a server abroad using its own clock gets "Invalid Timestamp".
/// </summary>
public static class DarajaTimestamp
{
    private static readonly TimeZoneInfo Nairobi = FindNairobi();

    /// <summary>yyyyMMddHHmmss in Nairobi time, from the injected clock.</summary>
    public static string Now(TimeProvider timeProvider) =>
        TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), Nairobi).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>base64(ShortCode + Passkey + Timestamp).</summary>
    public static string Password(string shortCode, string passkey, string timestamp) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(shortCode + passkey + timestamp));

    /// <summary>The IANA zone when the system has it, else a fixed UTC+3 zone (Kenya has had no DST since 1942).</summary>
    private static TimeZoneInfo FindNairobi()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Africa/Nairobi");
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("EAT", TimeSpan.FromHours(3), "East Africa Time", "East Africa Time");
        }
    }
}
