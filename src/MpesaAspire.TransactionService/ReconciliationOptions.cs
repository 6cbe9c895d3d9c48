namespace MpesaAspire.TransactionService;

/// <summary>
/// When pending payments are queried with STK Push Query, section <c>Reconciliation</c>. The defaults
/// suit production; tests shorten them.
/// </summary>
public sealed class ReconciliationOptions
{
    public const string SectionName = "Reconciliation";

    /// <summary>False turns the background reconciliation off (the dashboard command still works).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long after a payment is created its first query is due.</summary>
    public TimeSpan FirstQueryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The gap after the first query; it doubles with every query that finds the payment still pending.</summary>
    public TimeSpan FirstGap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest gap between two queries of one payment.</summary>
    public TimeSpan MaxGap { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A payment still pending this long after it was created becomes NeedsReview: a person decides.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the service looks for payments that are due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Queries per second this instance may send to Daraja (a token bucket; bursts up to <see cref="QueryBurst"/>).</summary>
    public double QueriesPerSecond { get; set; } = 2;

    public int QueryBurst { get; set; } = 5;

    /// <summary>Payments claimed per round.</summary>
    public int BatchSize { get; set; } = 20;
}
