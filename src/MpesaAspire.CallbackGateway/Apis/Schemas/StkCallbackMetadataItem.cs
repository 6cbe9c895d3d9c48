using System.Text.Json;
using System.Text.Json.Serialization;

namespace MpesaAspire.CallbackGateway.Apis.Schemas;

/// <summary>One named payment detail.</summary>
public sealed class StkCallbackMetadataItem
{
    /// <summary>Amount, MpesaReceiptNumber, TransactionDate, PhoneNumber, Balance; others are ignored.</summary>
    [JsonPropertyName("Name")]
    public required string Name { get; init; }

    /// <summary>
    /// The value: Amount a decimal (1, 1.00, 10500.00) or a string of one; TransactionDate a
    /// yyyyMMddHHmmss number (20191219102115); PhoneNumber a number (254708374149) or a string;
    /// MpesaReceiptNumber a string. Absent on Balance.
    /// </summary>
    [JsonPropertyName("Value")]
    public JsonElement? Value { get; init; }
}
