namespace MpesaAspire.TransactionService;

/// <summary>How long raw callbacks stay in the inbox, section <c>InboxRetention</c>.</summary>
public sealed class InboxRetentionOptions
{
    public const string SectionName = "InboxRetention";

    /// <summary>Inbox rows last received longer ago than this are deleted. The transactions themselves stay.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often old inbox rows are pruned.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows one DELETE removes at most, so recording a callback never waits long on the table's locks.</summary>
    public int PruneBatchSize { get; set; } = 500;
}
