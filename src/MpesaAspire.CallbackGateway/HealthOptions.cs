namespace MpesaAspire.CallbackGateway;

/// <summary>How <c>GET /health</c> probes its dependencies (section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Deadline of the database and Telegram probes, which run in parallel.</summary>
    public TimeSpan CheckDeadline { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long one probe's answer is reused: however often <c>/health</c> is asked, the
    /// dependencies are asked at most once per period. Zero probes on every request.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}
