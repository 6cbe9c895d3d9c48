using System.Text.Json;
using System.Text.Json.Serialization;

namespace MpesaAspire.CallbackGateway.Apis.Schemas;

/// <summary>The result of one STK Push.</summary>
public sealed class StkCallbackContent
{
    /// <summary>The merchant request id, e.g. "29115-34620561-1". Optional.</summary>
    [JsonPropertyName("MerchantRequestID")]
    public string? MerchantRequestId { get; init; }

    /// <summary>The checkout request id the push was answered with, e.g. "ws_CO_191220191020363925". Required, not empty.</summary>
    [JsonPropertyName("CheckoutRequestID")]
    public required string CheckoutRequestId { get; init; }

    /// <summary>
    /// The result: a number (0 success, 1032 cancelled by the user, 1037 unreachable, …) or a string
    /// code such as "SFC_IC0003". Required.
    /// </summary>
    [JsonPropertyName("ResultCode")]
    public required JsonElement ResultCode { get; init; }

    /// <summary>The result's description, e.g. "The service request is processed successfully." Optional.</summary>
    [JsonPropertyName("ResultDesc")]
    public string? ResultDesc { get; init; }

    /// <summary>Payment details; present on success only.</summary>
    [JsonPropertyName("CallbackMetadata")]
    public StkCallbackMetadata? CallbackMetadata { get; init; }
}
