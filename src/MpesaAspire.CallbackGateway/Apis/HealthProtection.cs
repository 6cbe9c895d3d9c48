using System.Text.Json.Serialization;

namespace MpesaAspire.CallbackGateway.Apis;

/// <summary>Which callback protections are in force (never their secrets).</summary>
/// <param name="CallbackToken">"on" when callbacks need the URL token, "off" otherwise.</param>
/// <param name="SourceAllowList">"off", "log" or "enforce": what happens to a callback from outside the allow-list.</param>
/// <param name="PaymentVerification">
/// "none", "registered" or "query": when a success counts as paid (the transaction service's
/// <c>Payments:Verification</c>); absent while the transaction service cannot be asked.
/// </param>
public sealed record HealthProtection(
    string CallbackToken,
    string SourceAllowList,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PaymentVerification = null);
