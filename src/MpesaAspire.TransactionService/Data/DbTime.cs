namespace MpesaAspire.TransactionService.Data;

/// <summary>Times as the database keeps them: UTC, microsecond precision (DATETIME(6)) or whole seconds (TIMESTAMP).</summary>
public static class DbTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>An instant as a UTC <see cref="DateTime"/> cut to microseconds, the precision of DATETIME(6).</summary>
    public static DateTime Utc(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks;
        return new DateTime(ticks - (ticks % TicksPerMicrosecond), DateTimeKind.Utc);
    }

    /// <summary>An instant cut to whole seconds, for the seed's TIMESTAMP columns (MySQL would round otherwise).</summary>
    public static DateTime UtcSeconds(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks;
        return new DateTime(ticks - (ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    public static DateTime? AsUtc(DateTime? value) => value is { } time ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : null;
}
