using System.Text.Json.Serialization;

namespace MpesaAspire.CallbackGateway.Apis;

/// <summary>The gateway's spool in the health document.</summary>
/// <param name="Waiting">Callbacks kept because they could not be recorded, waiting to be replayed.</param>
/// <param name="OldestAgeSeconds">How long the oldest waiting callback has waited, in whole seconds; 0 when none waits.</param>
/// <param name="Rejected">Refused payloads kept for the operator.</param>
/// <param name="Writable">
/// Whether the spool can keep callbacks: false when its file cannot be used or a callback could
/// not be kept recently. The document is public, so why is in the logs, not here.
/// </param>
public sealed record SpoolHealth(
    [property: JsonPropertyName("waiting")] long Waiting,
    [property: JsonPropertyName("oldest_age_seconds")] long OldestAgeSeconds,
    [property: JsonPropertyName("rejected")] long Rejected,
    [property: JsonPropertyName("writable")] bool Writable);
