namespace MpesaAspire.TransactionService;

/// <summary>How long raw callbacks stay in the inbox and how many one payment may keep, section <c>InboxRetention</c>.</summary>
public sealed class InboxRetentionOptions
{
    public const string SectionName = "InboxRetention";

    /// <summary>Inbox rows last received longer ago than this are deleted. The transactions themselves stay.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often old inbox rows are pruned.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows one DELETE removes at most, so recording a callback never waits long on the table's locks.</summary>
    public int PruneBatchSize { get; set; } = 500;

    /// <summary>
    /// Distinct bodies kept for one CheckoutRequestID. Beyond it a new body is only counted
    /// (<c>overflow_count</c> on that payment's newest inbox row), so nobody can grow the inbox
    /// without bound by posting variations of one id. An identical repeat always only counts.
    /// </summary>
    public int MaxBodiesPerCheckout { get; set; } = 20;
}
