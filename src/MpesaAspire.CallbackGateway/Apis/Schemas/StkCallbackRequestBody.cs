using System.Text.Json.Serialization;

namespace MpesaAspire.CallbackGateway.Apis.Schemas;

/// <summary>The callback envelope's body.</summary>
public sealed class StkCallbackRequestBody
{
    /// <summary>The result of one STK Push.</summary>
    [JsonPropertyName("stkCallback")]
    public required StkCallbackContent StkCallback { get; init; }
}
