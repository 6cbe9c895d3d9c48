namespace MpesaAspire.Payments;

/// <summary>
/// Kenyan mobile numbers in the formats people and systems write them: 2547XXXXXXXX, +2547XXXXXXXX,
/// 07XXXXXXXX (and the newer 2541…/01… range). The canonical form is the one M-Pesa sends: 2547XXXXXXXX.
/// </summary>
public static partial class PhoneNumbers
{
    /// <summary>The spellings <see cref="Normalize"/> accepts, as a message to a caller names them.</summary>
    public const string Formats = "07XXXXXXXX, 01XXXXXXXX, +2547XXXXXXXX or 2547XXXXXXXX";

    private const string CountryCode = "254";
    private const string Hidden = "****";

    // Four characters shown at each end, at least two hidden between them (07XXXXXXXX is the shortest phone spelling).
    private const int ShortestWithEndsShown = 10;

    /// <summary>The canonical 254XXXXXXXXX form, or null when <paramref name="phone"/> is not a Kenyan mobile number.</summary>
    public static string? Normalize(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        Span<char> digits = stackalloc char[phone.Length];
        var length = 0;
        var leadingPlus = false;
        foreach (var c in phone.Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                digits[length++] = c;
            }
            else if (c == '+' && length == 0 && !leadingPlus)
            {
                leadingPlus = true;
            }
            else if (c is not (' ' or '-' or '(' or ')'))
            {
                return null;
            }
        }

        var number = new string(digits[..length]);
        if (number.StartsWith("00" + CountryCode, StringComparison.Ordinal) && !leadingPlus)
        {
            number = number[2..];
        }

        string subscriber;
        if (number.Length == 12 && number.StartsWith(CountryCode, StringComparison.Ordinal))
        {
            subscriber = number[3..];
        }
        else if (!leadingPlus && number.Length == 10 && number[0] == '0')
        {
            subscriber = number[1..];
        }
        else if (!leadingPlus && number.Length == 9)
        {
            subscriber = number;
        }
        else
        {
            return null;
        }

        // Mobile ranges: 7XX XXX XXX (Safaricom, Airtel, Telkom) and 1XX XXX XXX (the newer allocations).
        return subscriber[0] is '7' or '1' ? CountryCode + subscriber : null;
    }

    /// <summary>
    /// Every spelling of a canonical number that may be stored in <c>users.phone_number</c>:
    /// 2547XXXXXXXX, +2547XXXXXXXX, 07XXXXXXXX and 7XXXXXXXX.
    /// </summary>
    public static IReadOnlyList<string> Spellings(string canonical)
    {
        var subscriber = canonical[CountryCode.Length..];
        return [canonical, "+" + canonical, "0" + subscriber, subscriber];
    }

    /// <summary>
    /// A phone number fit for logs and traces: the canonical form's first and last four digits,
    /// <c>2547****4149</c> (any spelling of a Kenyan mobile masks the same way). A value that is not
    /// one is masked as written; one too short to hide at least two characters between those ends
    /// is masked whole, so a short value never prints in full. Nothing to mask reads <c>(none)</c>.
    /// </summary>
    public static string Mask(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return "(none)";
        }

        return MaskAsWritten(Normalize(phone) ?? phone.Trim());
    }

    /// <summary>The text with every occurrence of <paramref name="phone"/> masked where it stands, as it is written there.</summary>
    public static string MaskIn(string text, string? phone)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.IsNullOrWhiteSpace(phone) ? text : text.Replace(phone, MaskAsWritten(phone.Trim()), StringComparison.Ordinal);
    }

    private static string MaskAsWritten(string value) =>
        value.Length >= ShortestWithEndsShown ? string.Concat(value.AsSpan(0, 4), Hidden, value.AsSpan(value.Length - 4)) : Hidden;
}
