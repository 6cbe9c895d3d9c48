namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>A callback request's body read as text, or why it could not be accepted.</summary>
/// <param name="Text">The body exactly as sent (decoded from UTF-8), when readable.</param>
/// <param name="Rejection">Why it was refused (413 or 400), otherwise.</param>
public sealed record CallbackBody(string? Text, CallbackRejection? Rejection);
