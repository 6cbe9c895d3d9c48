using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>
/// Reads an STK Push result callback the way Daraja really sends it: field names as documented but
/// tolerated in any case, metadata items looked up by Name (never by position), numbers that may
/// arrive as strings, string result codes, a Balance item with no value, and unknown fields ignored.
/// A body that is not a callback yields a rejection whose detail names the problem.
/// </summary>
public static class StkCallbackParser
{
    private const string EnvelopeShape = "{\"Body\":{\"stkCallback\":{...}}}";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Parses one callback body.</summary>
    /// <returns>True with <paramref name="callback"/> set, or false with <paramref name="rejection"/> set.</returns>
    public static bool TryParse(
        string json,
        [NotNullWhen(true)] out StkCallback? callback,
        [NotNullWhen(false)] out CallbackRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(json);
        callback = null;

        if (string.IsNullOrWhiteSpace(json))
        {
            rejection = new(CallbackRejectionReason.EmptyBody, $"The request body is empty: expected an STK Push callback {EnvelopeShape}.");
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            rejection = new(CallbackRejectionReason.MalformedJson, $"The request body is not valid JSON: {ex.Message}");
            return false;
        }

        using (document)
        {
            return TryRead(document.RootElement, out callback, out rejection);
        }
    }

    private static bool TryRead(
        JsonElement root,
        [NotNullWhen(true)] out StkCallback? callback,
        [NotNullWhen(false)] out CallbackRejection? rejection)
    {
        callback = null;

        if (root.ValueKind != JsonValueKind.Object)
        {
            rejection = new(
                CallbackRejectionReason.NotAnObject,
                $"The request body must be a JSON object {EnvelopeShape}, not {Describe(root.ValueKind)}.");
            return false;
        }

        if (!TryGetProperty(root, "Body", out var body))
        {
            rejection = new(CallbackRejectionReason.MissingBody, "Body is missing" + IdentifyOtherPayload(root));
            return false;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            rejection = new(CallbackRejectionReason.MissingBody, $"Body must be a JSON object, not {Describe(body.ValueKind)}.");
            return false;
        }

        if (!TryGetProperty(body, "stkCallback", out var stk))
        {
            rejection = new(CallbackRejectionReason.MissingStkCallback, "Body.stkCallback is missing: this is not an STK Push callback.");
            return false;
        }

        if (stk.ValueKind != JsonValueKind.Object)
        {
            rejection = new(CallbackRejectionReason.MissingStkCallback, $"Body.stkCallback must be a JSON object, not {Describe(stk.ValueKind)}.");
            return false;
        }

        if (!TryReadCheckoutRequestId(stk, out var checkoutRequestId, out rejection)
            || !TryReadResultCode(stk, out var resultCode, out rejection))
        {
            return false;
        }

        var anomalies = new List<string>();
        var metadata = ReadMetadata(stk, anomalies);

        callback = new StkCallback(
            checkoutRequestId,
            ReadOptionalText(stk, "MerchantRequestID"),
            resultCode,
            ReadOptionalText(stk, "ResultDesc"),
            metadata.Amount,
            metadata.MpesaReceiptNumber,
            metadata.TransactionDate,
            metadata.PhoneNumber,
            anomalies);
        return true;
    }

    private static bool TryReadCheckoutRequestId(
        JsonElement stk,
        [NotNullWhen(true)] out string? checkoutRequestId,
        [NotNullWhen(false)] out CallbackRejection? rejection)
    {
        checkoutRequestId = null;
        rejection = null;

        if (!TryGetProperty(stk, "CheckoutRequestID", out var value))
        {
            rejection = new(CallbackRejectionReason.MissingCheckoutRequestId, "Body.stkCallback.CheckoutRequestID is missing.");
            return false;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };

        if (text is null)
        {
            rejection = new(
                CallbackRejectionReason.InvalidCheckoutRequestId,
                $"Body.stkCallback.CheckoutRequestID must be a string, not {Describe(value.ValueKind)}.");
            return false;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            rejection = new(CallbackRejectionReason.MissingCheckoutRequestId, "Body.stkCallback.CheckoutRequestID is empty.");
            return false;
        }

        checkoutRequestId = text;
        return true;
    }

    private static bool TryReadResultCode(
        JsonElement stk,
        [NotNullWhen(true)] out string? resultCode,
        [NotNullWhen(false)] out CallbackRejection? rejection)
    {
        resultCode = null;
        rejection = null;

        if (!TryGetProperty(stk, "ResultCode", out var value))
        {
            rejection = new(CallbackRejectionReason.MissingResultCode, "Body.stkCallback.ResultCode is missing.");
            return false;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                resultCode = value.TryGetDecimal(out var number) && decimal.Truncate(number) == number
                    ? decimal.Truncate(number).ToString(CultureInfo.InvariantCulture)
                    : value.GetRawText();
                return true;

            case JsonValueKind.String:
                var text = value.GetString()!.Trim();
                if (text.Length == 0)
                {
                    rejection = new(CallbackRejectionReason.MissingResultCode, "Body.stkCallback.ResultCode is empty.");
                    return false;
                }

                resultCode = text;
                return true;

            default:
                rejection = new(
                    CallbackRejectionReason.InvalidResultCode,
                    $"Body.stkCallback.ResultCode must be a number or a string, not {Describe(value.ValueKind)}.");
                return false;
        }
    }

    private static CallbackMetadata ReadMetadata(JsonElement stk, List<string> anomalies)
    {
        var metadata = new CallbackMetadata();

        if (!TryGetProperty(stk, "CallbackMetadata", out var callbackMetadata)
            || callbackMetadata.ValueKind != JsonValueKind.Object
            || !TryGetProperty(callbackMetadata, "Item", out var items))
        {
            return metadata;
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            anomalies.Add($"Body.stkCallback.CallbackMetadata.Item is {Describe(items.ValueKind)}, not an array: ignored.");
            return metadata;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !TryGetProperty(item, "Name", out var nameElement)
                || nameElement.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var name = nameElement.GetString()!.Trim();

            // The first item of a name wins; Daraja never repeats one.
            if (!seen.Add(name) || !TryGetProperty(item, "Value", out var value))
            {
                continue;
            }

            if (Is(name, "Amount"))
            {
                metadata.Amount = ReadDecimal(value);
                NoteUnreadable(metadata.Amount is null, "Amount", "a decimal number", anomalies);
            }
            else if (Is(name, "MpesaReceiptNumber"))
            {
                metadata.MpesaReceiptNumber = ReadText(value);
                NoteUnreadable(metadata.MpesaReceiptNumber is null, "MpesaReceiptNumber", "a string", anomalies);
            }
            else if (Is(name, "TransactionDate"))
            {
                metadata.TransactionDate = ReadInt64(value);
                NoteUnreadable(metadata.TransactionDate is null, "TransactionDate", "a yyyyMMddHHmmss number", anomalies);
            }
            else if (Is(name, "PhoneNumber"))
            {
                metadata.PhoneNumber = ReadInt64(value);
                NoteUnreadable(metadata.PhoneNumber is null, "PhoneNumber", "a number", anomalies);
            }

            // Balance (often without a Value, sometimes a string such as
            // "{Amount={BasicAmount=123.45, ...}}") and unknown items are ignored.
        }

        return metadata;
    }

    private static void NoteUnreadable(bool unreadable, string name, string expected, List<string> anomalies)
    {
        if (unreadable)
        {
            // The value itself is left out: it may be a phone number.
            anomalies.Add($"CallbackMetadata item {name} could not be read as {expected}: ignored.");
        }
    }

    // The transaction service reads the amount by the same rule: one it could not store is noted and
    // ignored here (the raw payload keeps it) instead of making it refuse the whole callback.
    private static decimal? ReadDecimal(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when Amounts.TryParse(value.GetRawText(), out var number, out _) => number,
        JsonValueKind.String when Amounts.TryParse(value.GetString(), out var number, out _) => number,
        _ => null,
    };

    private static long? ReadInt64(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt64(out var number):
                return number;

            // 254708374149.0 or 2.54708374149E11: whole numbers written as decimals.
            case JsonValueKind.Number when value.TryGetDecimal(out var number) && decimal.Truncate(number) == number
                && number is >= long.MinValue and <= long.MaxValue:
                return (long)number;

            case JsonValueKind.String:
                var text = value.GetString()!.Trim();
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

            default:
                return null;
        }
    }

    private static string? ReadText(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Trim(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };

        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static string? ReadOptionalText(JsonElement element, string name) =>
        TryGetProperty(element, name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>
    /// Looks a property up by its exact name first, then ignoring case. A property whose value is
    /// null counts as missing.
    /// </summary>
    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        if (!element.TryGetProperty(name, out value))
        {
            foreach (var property in element.EnumerateObject())
            {
                if (Is(property.Name, name))
                {
                    value = property.Value;
                    break;
                }
            }
        }

        return value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
    }

    private static bool Is(string actual, string expected) => string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>Names the Daraja payload a body without <c>Body</c> most likely is, so the sender can fix its URL.</summary>
    private static string IdentifyOtherPayload(JsonElement root)
    {
        if (TryGetProperty(root, "stkCallback", out _))
        {
            return $": stkCallback must be wrapped in Body, as in {EnvelopeShape}.";
        }

        if (TryGetProperty(root, "TransID", out _) || TryGetProperty(root, "TransactionType", out _))
        {
            return ": this is a C2B validation or confirmation request, not an STK Push callback.";
        }

        if (TryGetProperty(root, "Result", out _))
        {
            return ": this is a B2C, reversal, status or balance result, not an STK Push callback.";
        }

        if (TryGetProperty(root, "ResponseCode", out _) || TryGetProperty(root, "errorCode", out _))
        {
            return ": this is an STK Push query response, not a callback.";
        }

        return $": expected an STK Push callback {EnvelopeShape}.";
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    private sealed class CallbackMetadata
    {
        public decimal? Amount { get; set; }

        public string? MpesaReceiptNumber { get; set; }

        public long? TransactionDate { get; set; }

        public long? PhoneNumber { get; set; }
    }
}
