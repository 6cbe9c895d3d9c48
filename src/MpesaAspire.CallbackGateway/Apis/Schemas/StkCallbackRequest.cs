using System.Text.Json.Serialization;

namespace MpesaAspire.CallbackGateway.Apis.Schemas;

/// <summary>
/// An STK Push result callback, as Safaricom sends it. Field names are read in any case, unknown
/// fields are ignored. Describes the request body in the API document; the gateway reads the body
/// itself, tolerantly.
/// </summary>
public sealed class StkCallbackRequest
{
    /// <summary>The envelope.</summary>
    [JsonPropertyName("Body")]
    public required StkCallbackRequestBody Body { get; init; }
}
