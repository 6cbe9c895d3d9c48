namespace MpesaAspire.CallbackGateway.Apis;

/// <summary>Which callback protections are in force (never their secrets).</summary>
/// <param name="CallbackToken">"on" when callbacks need the URL token, "off" otherwise.</param>
/// <param name="SourceAllowList">"off", "log" or "enforce": what happens to a callback from outside the allow-list.</param>
public sealed record HealthProtection(string CallbackToken, string SourceAllowList);
