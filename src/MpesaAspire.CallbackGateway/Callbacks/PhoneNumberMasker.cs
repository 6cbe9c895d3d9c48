using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>Masks phone numbers before they reach a log: <c>254708374149</c> becomes <c>2547****4149</c>.</summary>
public static partial class PhoneNumberMasker
{
    private const string Mask = "****";

    private static readonly HashSet<string> PhoneFieldNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "PhoneNumber", "MSISDN", "Phone", "PartyA",
    };

    private static readonly JsonSerializerOptions CompactJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>Keeps the first four and last four digits of a phone number; shorter values are masked whole.</summary>
    public static string MaskPhone(string? phoneNumber)
    {
        if (string.IsNullOrWhiteSpace(phoneNumber))
        {
            return string.Empty;
        }

        var phone = phoneNumber.Trim();
        return phone.Length >= 9 ? string.Concat(phone.AsSpan(0, 4), Mask, phone.AsSpan(phone.Length - 4)) : Mask;
    }

    /// <inheritdoc cref="MaskPhone(string?)"/>
    public static string MaskPhone(long phoneNumber) => MaskPhone(phoneNumber.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// A compact copy of a JSON payload fit for a log line: phone fields (PhoneNumber, MSISDN…),
    /// metadata items named PhoneNumber and any Kenyan mobile number inside a string are masked.
    /// Text that is not JSON is not returned at all.
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
                        JsonValue phone when isPhone => JsonValue.Create(MaskPhone(ValueText(phone))),
                        _ => MaskNode(child),
                    };
                }

                return masked;

            case JsonArray array:
                return new JsonArray([.. array.Select(item => item is null ? null : MaskNode(item))]);

            case JsonValue value when value.TryGetValue<string>(out var text):
                return JsonValue.Create(KenyanMobileNumber().Replace(text, m => MaskPhone(m.Value)));

            default:
                return node.DeepClone();
        }
    }

    private static string ValueText(JsonValue value) =>
        value.TryGetValue<string>(out var text) ? text : value.ToJsonString();

    [GeneratedRegex(@"(?<!\d)(?:\+?254|0)[17]\d{8}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex KenyanMobileNumber();
}
