using System.Text.Json.Serialization;

namespace MpesaAspire.CallbackGateway.Apis;

/// <summary>The answer to a replay request: what the spool held when the replay started.</summary>
/// <param name="Waiting">Callbacks being replayed now.</param>
/// <param name="Rejected">Refused payloads kept for the operator, which are not replayed.</param>
public sealed record SpoolReplayAnswer(
    [property: JsonPropertyName("waiting")] long Waiting,
    [property: JsonPropertyName("rejected")] long Rejected);
