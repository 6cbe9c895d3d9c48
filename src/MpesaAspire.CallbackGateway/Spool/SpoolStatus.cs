namespace MpesaAspire.CallbackGateway.Spool;

/// <summary>What the spool holds right now.</summary>
/// <param name="Waiting">Callbacks kept because they could not be recorded, not yet replayed.</param>
/// <param name="OldestWaitingReceivedAt">When the oldest waiting callback was received; null when none waits.</param>
/// <param name="Rejected">Refused payloads kept for the operator (never replayed).</param>
/// <param name="LastKeepFailure">The last time a callback could be neither recorded nor kept; null when never.</param>
public sealed record SpoolStatus(
    long Waiting,
    DateTimeOffset? OldestWaitingReceivedAt,
    long Rejected,
    DateTimeOffset? LastKeepFailure);
