using System.Text.Json.Serialization;

namespace MpesaAspire.CallbackGateway.Apis;

/// <summary>The product's health document.</summary>
/// <param name="Status">"healthy" when the database answers, "unhealthy" otherwise.</param>
/// <param name="Timestamp">When the check ran, UTC, ISO 8601 to the second (2024-01-15T10:30:00).</param>
/// <param name="Service">Always "mpesa-callback-server".</param>
/// <param name="Database">"connected" or "disconnected".</param>
/// <param name="Telegram">The bot's status as the notification service reports it: "connected as @your_bot", "not configured (dry-run)" or "error: …".</param>
/// <param name="Reason">Why the database is disconnected; absent when healthy.</param>
public sealed record HealthResponse(
    string Status,
    string Timestamp,
    string Service,
    string Database,
    string Telegram,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null)
{
    /// <summary>
    /// Whether payments can be started and reconciled, as the transaction service reports it:
    /// "configured (sandbox, shortcode 174379)" or "not configured"; absent when it could not be asked.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Daraja { get; init; }
}
