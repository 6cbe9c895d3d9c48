using System.Text.Json.Serialization;

namespace MpesaAspire.CallbackGateway.Apis;

/// <summary>The product's health document.</summary>
/// <param name="Status">
/// "healthy" when the database answers and nothing waits in the spool; "degraded" while callbacks
/// wait in the spool or the database cannot be reached (callbacks are still taken and kept);
/// "unhealthy" when the gateway could not keep a callback at all (recently) or cannot use its spool.
/// </param>
/// <param name="Timestamp">When the check ran, UTC, ISO 8601 to the second (2024-01-15T10:30:00).</param>
/// <param name="Service">Always "mpesa-callback-server".</param>
/// <param name="Database">"connected" or "disconnected".</param>
/// <param name="Telegram">The bot's status as the notification service reports it: "connected as @your_bot", "not configured (dry-run)" or "error: …".</param>
/// <param name="Reason">"database disconnected" when it is (why is in the logs); absent when it is connected.</param>
/// <param name="Spool">Callbacks the gateway keeps on its own disk until they can be recorded.</param>
/// <param name="Protection">The callback protections in force; set by the endpoint, absent from the probe's own result.</param>
/// <remarks>
/// The document is public: it never carries error text (a database error can name the user, the
/// host or the schema). Why a dependency is down is in the logs.
/// </remarks>
public sealed record HealthResponse(
    string Status,
    string Timestamp,
    string Service,
    string Database,
    string Telegram,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SpoolHealth? Spool = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HealthProtection? Protection = null)
{
    /// <summary>
    /// Whether payments can be started and reconciled, as the transaction service reports it:
    /// "configured (sandbox, shortcode 174379)" or "not configured"; absent when it could not be asked.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Daraja { get; init; }

    /// <summary>
    /// When a success callback counts as paid, as the transaction service reports it ("none",
    /// "registered" or "query"); shown under <see cref="Protection"/>, absent when it could not be asked.
    /// </summary>
    [JsonIgnore]
    public string? Verification { get; init; }
}
