using System.Globalization;

namespace MpesaAspire.Payments;

/// <summary>Money amounts as the <c>DECIMAL(10,2)</c> columns hold them: at most 8 integer digits and 2 decimals.</summary>
public static class Amounts
{
    private const decimal Limit = 100_000_000m;

    /// <summary>Any invariant decimal ("1.0", "1e3"; no thousands separators), its scale kept; fit not checked.</summary>
    public static bool TryParse(string? text, out decimal amount) =>
        decimal.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out amount);

    /// <summary>An amount the columns can hold; else <paramref name="error"/> says why not.</summary>
    public static bool TryParse(string? text, out decimal amount, out string? error)
    {
        amount = 0;
        if (!TryParse(text, out var value))
        {
            error = "is not a decimal number";
            return false;
        }

        if (value < 0)
        {
            error = "is negative";
            return false;
        }

        if (value >= Limit || decimal.Round(value, 2) != value)
        {
            error = "does not fit DECIMAL(10,2) (at most 8 integer digits and 2 decimals)";
            return false;
        }

        amount = value;
        error = null;
        return true;
    }

    /// <summary>Invariant decimal string with two decimals: 1000 → "1000.00".</summary>
    public static string Format(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Format(decimal? amount) => amount is { } value ? Format(value) : "";

    /// <summary>As messages show it: 1000 → "1,000.00".</summary>
    public static string Display(decimal amount) => amount.ToString("#,##0.00", CultureInfo.InvariantCulture);
}
