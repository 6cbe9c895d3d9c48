namespace MpesaAspire.CallbackGateway;

/// <summary>
/// The gateway's durable spool (section <c>Spool</c>): where a callback is kept when the
/// transaction service cannot record it in time, and how it is replayed and pruned.
/// </summary>
public sealed class SpoolOptions
{
    public const string SectionName = "Spool";

    /// <summary>
    /// The SQLite file of kept callbacks. A relative path is taken from the gateway's content root;
    /// the folder is created when missing. Keep it on a disk that survives a restart.
    /// </summary>
    public string Path { get; set; } = System.IO.Path.Combine("data", "callback-spool.db");

    /// <summary>The first wait after a replay pass that could not record; it doubles up to <see cref="MaxReplayBackoff"/>.</summary>
    public TimeSpan ReplayBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between replay attempts while recording still fails.</summary>
    public TimeSpan MaxReplayBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the spool is looked at when nothing has woken the replayer.</summary>
    public TimeSpan ReplayInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Kept callbacks (waiting or rejected) older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often old kept callbacks are pruned.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many rows one prune statement deletes at most, so the file is never locked for long.</summary>
    public int PruneBatchSize { get; set; } = 500;

    /// <summary>How long <c>/health</c> reports "unhealthy" after a callback could not be kept at all.</summary>
    public TimeSpan FailureMemory { get; set; } = TimeSpan.FromMinutes(5);
}
