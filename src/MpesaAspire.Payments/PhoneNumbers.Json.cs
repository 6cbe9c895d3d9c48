using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MpesaAspire.Payments;

/// <summary>Phone numbers inside JSON payloads (a callback as received, before it reaches a log).</summary>
public static partial class PhoneNumbers
{
    private static readonly HashSet<string> PhoneFieldNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "PhoneNumber", "MSISDN", "Phone", "PartyA",
    };

    private static readonly JsonSerializerOptions CompactJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>
    /// A compact copy of a JSON payload fit for a log line: phone fields (PhoneNumber, MSISDN…) and
    /// metadata items named PhoneNumber are masked as <see cref="Mask"/> does, and any Kenyan mobile
    /// number inside a string is masked where it stands. Text that is not JSON is not returned at all.
    /// </summary>
    public static string MaskJson(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException)
        {
            return "(not JSON)";
        }
        catch (ArgumentException)
        {
            // Repeated property names.
            return "(unreadable JSON)";
        }

        if (node is null)
        {
            return "null";
        }

        try
        {
            return MaskNode(node).ToJsonString(CompactJson);
        }
        catch (ArgumentException)
        {
            // Repeated property names surface only while the object is walked.
            return "(unreadable JSON)";
        }
    }

    private static JsonNode MaskNode(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                // A Daraja metadata item {"Name":"PhoneNumber","Value":254708374149} hides its phone in Value.
                var isPhoneItem = obj.Any(p => string.Equals(p.Key, "Name", StringComparison.OrdinalIgnoreCase)
                    && p.Value is JsonValue name && name.TryGetValue<string>(out var itemName) && PhoneFieldNames.Contains(itemName.Trim()));

                var masked = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    var isPhone = PhoneFieldNames.Contains(key) || (isPhoneItem && string.Equals(key, "Value", StringComparison.OrdinalIgnoreCase));
                    masked[key] = child switch
                    {
                        null => null,
                        JsonValue phone when isPhone => JsonValue.Create(MaskValue(ValueText(phone))),
                        _ => MaskNode(child),
                    };
                }

                return masked;

            case JsonArray array:
                return new JsonArray([.. array.Select(item => item is null ? null : MaskNode(item))]);

            case JsonValue value when value.TryGetValue<string>(out var text):
                return JsonValue.Create(KenyanMobileNumber().Replace(text, m => MaskAsWritten(m.Value)));

            default:
                return node.DeepClone();
        }
    }

    // An empty phone field stays empty: the payload shows what was sent.
    private static string MaskValue(string text) => string.IsNullOrWhiteSpace(text) ? text : Mask(text);

    private static string ValueText(JsonValue value) =>
        value.TryGetValue<string>(out var text) ? text : value.ToJsonString();

    [GeneratedRegex(@"(?<!\d)(?:\+?254|0)[17]\d{8}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex KenyanMobileNumber();
}
