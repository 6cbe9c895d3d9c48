using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MpesaAspire.TransactionService.Domain;

namespace MpesaAspire.TransactionService.Tests.Support;

/// <summary>STK callbacks as the gateway hands them over: parsed fields plus the raw Daraja body.</summary>
public static class Callbacks
{
    public static string NewCheckoutId() => "ws_CO_" + Guid.NewGuid().ToString("N")[..26];

    public static StkCallback Success(
        string checkoutRequestId,
        decimal amount = 1000m,
        string receipt = "NLJ7RT61SV",
        string phone = "254708374149",
        string transactionDate = "20191219102115",
        DateTimeOffset? receivedAt = null) =>
        FromJson(Body(checkoutRequestId, "0", "The service request is processed successfully.", new JsonArray
        {
            Item("Amount", amount),
            Item("MpesaReceiptNumber", receipt),
            new JsonObject { ["Name"] = "Balance" },
            Item("TransactionDate", long.Parse(transactionDate, CultureInfo.InvariantCulture)),
            Item("PhoneNumber", long.Parse(phone.TrimStart('+'), CultureInfo.InvariantCulture)),
        }), receivedAt);

    /// <summary>A failure callback; a numeric <paramref name="resultCode"/> goes out as a JSON number, like Daraja's.</summary>
    public static StkCallback Failure(string checkoutRequestId, string resultCode, string resultDesc, DateTimeOffset? receivedAt = null) =>
        FromJson(Body(checkoutRequestId, resultCode, resultDesc, items: null), receivedAt);

    /// <summary>A sample payload from tests/Fixtures/daraja/stk, given its own checkout id.</summary>
    public static StkCallback FromFixture(string name, string checkoutRequestId) =>
        FromJson(TestSupport.DarajaFixtures.ReadStkWithCheckoutId(name, checkoutRequestId), receivedAt: null);

    /// <summary>Parses a Daraja body the tolerant way: items looked up by name, numbers or strings alike.</summary>
    public static StkCallback FromJson(string json, DateTimeOffset? receivedAt)
    {
        var callback = JsonNode.Parse(json)!["Body"]!["stkCallback"]!;
        var items = (callback["CallbackMetadata"]?["Item"] as JsonArray ?? [])
            .Where(i => i?["Value"] is not null)
            .ToDictionary(i => (string)i!["Name"]!, i => Text(i!["Value"]!));
        var dateText = items.GetValueOrDefault("TransactionDate");
        return new StkCallback
        {
            CheckoutRequestId = (string)callback["CheckoutRequestID"]!,
            MerchantRequestId = (string?)callback["MerchantRequestID"] ?? "",
            RawPayload = json,
            ResultCode = Text(callback["ResultCode"]!),
            ResultDesc = (string?)callback["ResultDesc"],
            Amount = items.TryGetValue("Amount", out var amount) ? decimal.Parse(amount, CultureInfo.InvariantCulture) : null,
            MpesaReceiptNumber = items.GetValueOrDefault("MpesaReceiptNumber"),
            TransactionDateText = dateText,
            TransactionDate = KenyanTime.TryParseMpesaTimestamp(dateText, out var date) ? date : null,
            PhoneNumber = items.GetValueOrDefault("PhoneNumber"),
            ReceivedAt = receivedAt,
        };
    }

    private static string Body(string checkoutRequestId, string resultCode, string resultDesc, JsonArray? items)
    {
        var stk = new JsonObject
        {
            ["MerchantRequestID"] = "29115-34620561-1",
            ["CheckoutRequestID"] = checkoutRequestId,
            ["ResultCode"] = int.TryParse(resultCode, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(resultCode),
            ["ResultDesc"] = resultDesc,
        };
        if (items is not null)
        {
            stk["CallbackMetadata"] = new JsonObject { ["Item"] = items };
        }

        return new JsonObject { ["Body"] = new JsonObject { ["stkCallback"] = stk } }.ToJsonString();
    }

    private static JsonObject Item(string name, decimal value) => new() { ["Name"] = name, ["Value"] = value };

    private static JsonObject Item(string name, long value) => new() { ["Name"] = name, ["Value"] = value };

    private static JsonObject Item(string name, string value) => new() { ["Name"] = name, ["Value"] = value };

    private static string Text(JsonNode node) => node.GetValueKind() == JsonValueKind.String ? (string)node! : node.ToJsonString();
}
