namespace MpesaAspire.Payments;

/// <summary>
/// The wait before the next try of something that is scheduled by storing a time (a notification's
/// <c>next_attempt_at</c>, a pending payment's next query) rather than retried in process (Polly does that).
/// </summary>
public static class Backoff
{
    /// <summary>
    /// <paramref name="first"/> after the first try, then doubling with each try made (first, 2×first,
    /// 4×first…), never longer than <paramref name="max"/>. <paramref name="tries"/> counts the tries made so far.
    /// </summary>
    public static TimeSpan Exponential(int tries, TimeSpan first, TimeSpan max)
    {
        // 2^20 × even a millisecond is beyond any cap used here, and the shift cannot overflow.
        var exponent = Math.Clamp(tries - 1, 0, 20);
        return TimeSpan.FromTicks(Math.Min(first.Ticks * (1L << exponent), max.Ticks));
    }
}
