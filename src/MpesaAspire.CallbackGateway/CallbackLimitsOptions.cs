namespace MpesaAspire.CallbackGateway;

/// <summary>How much the callback endpoint takes before it pushes back (section <c>CallbackLimits</c>).</summary>
public sealed class CallbackLimitsOptions
{
    public const string SectionName = "CallbackLimits";

    /// <summary>
    /// Callbacks one source address outside the allow-list may send per <see cref="Window"/>; beyond
    /// that it is answered 429. Allow-listed Safaricom addresses are never rate limited.
    /// </summary>
    public int PermitLimitPerSource { get; set; } = 60;

    /// <summary>The window of <see cref="PermitLimitPerSource"/>.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Callbacks recorded at the same time, from every source together: keeps the transaction
    /// service's database pool from being exhausted. Those beyond wait in a queue.
    /// </summary>
    public int ConcurrencyLimit { get; set; } = 32;

    /// <summary>Callbacks that may wait for a recording slot; beyond that they are answered 429.</summary>
    public int QueueLimit { get; set; } = 256;

    /// <summary>
    /// How long one request may take in all, body upload included, before it is answered 503.
    /// Longer than <c>Callback:RecordDeadline</c>, so a callback being recorded is never cut off.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
