namespace MpesaAspire.CallbackGateway.Spool;

/// <summary>A callback waiting in the spool to be recorded by the transaction service.</summary>
/// <param name="Id">The spool row, oldest first.</param>
/// <param name="CheckoutRequestId">The callback's CheckoutRequestID.</param>
/// <param name="RawPayload">The body exactly as Safaricom sent it.</param>
/// <param name="ReceivedAt">When the gateway received it; recorded as the callback's receipt time.</param>
/// <param name="TraceParent">The W3C trace parent of the request that brought it, when there was one.</param>
/// <param name="Attempts">Replay attempts so far.</param>
public sealed record KeptCallback(
    long Id,
    string? CheckoutRequestId,
    string RawPayload,
    DateTimeOffset ReceivedAt,
    string? TraceParent,
    int Attempts);
