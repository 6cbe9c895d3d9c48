using System.Text.Json.Serialization;

namespace MpesaAspire.CallbackGateway.Apis;

/// <summary>The answer Safaricom gets once a callback is recorded.</summary>
/// <param name="ResultCode">0: received.</param>
/// <param name="ResultDesc">"Callback received successfully".</param>
/// <param name="CheckoutRequestId">The callback's CheckoutRequestID.</param>
public sealed record CallbackAcknowledgement(
    [property: JsonPropertyName("ResultCode")] int ResultCode,
    [property: JsonPropertyName("ResultDesc")] string ResultDesc,
    [property: JsonPropertyName("CheckoutRequestID")] string CheckoutRequestId);
