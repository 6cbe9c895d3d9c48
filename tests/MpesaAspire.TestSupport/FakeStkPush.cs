using System.Text.Json.Nodes;

namespace MpesaAspire.TestSupport;

/// <summary>A push the fake Daraja accepted, with the body exactly as it arrived.</summary>
public sealed record FakeStkPush(
    string CheckoutRequestId,
    string MerchantRequestId,
    string PhoneNumber,
    int Amount,
    string AccountReference,
    string Timestamp,
    JsonObject Body,
    FakeStkScenario Scenario,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The receipt number the callback carries on success.</summary>
    public string ReceiptNumber { get; init; } = "";
}
