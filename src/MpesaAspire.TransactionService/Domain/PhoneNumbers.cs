namespace MpesaAspire.TransactionService.Domain;

/// <summary>
/// Kenyan mobile numbers in the formats people and systems write them: 2547XXXXXXXX, +2547XXXXXXXX,
/// 07XXXXXXXX (and the newer 2541…/01… range). The canonical form is the one M-Pesa sends: 2547XXXXXXXX.
/// </summary>
public static class PhoneNumbers
{
    private const string CountryCode = "254";

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

    /// <summary>A phone number fit for logs: <c>2547****4149</c>.</summary>
    public static string Mask(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return "(none)";
        }

        var value = Normalize(phone) ?? phone.Trim();
        return value.Length >= 8 ? string.Concat(value.AsSpan(0, 4), "****", value.AsSpan(value.Length - 4)) : "****";
    }
}
