using System.Text.Json.Serialization;

namespace MpesaAspire.CallbackGateway.Apis.Schemas;

/// <summary>Payment details of a successful STK Push, as a list of named items in any order.</summary>
public sealed class StkCallbackMetadata
{
    /// <summary>Amount, MpesaReceiptNumber, TransactionDate, PhoneNumber and sometimes Balance (often without a Value).</summary>
    [JsonPropertyName("Item")]
    public required IReadOnlyList<StkCallbackMetadataItem> Item { get; init; }
}
