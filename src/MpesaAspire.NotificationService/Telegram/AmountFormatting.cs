using System.Globalization;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>Amounts as the product shows them: <c>1,000.00</c> (invariant culture, two decimals, thousands separators).</summary>
internal static class AmountFormatting
{
    /// <summary>Reads a decimal string such as "1000", "1.00" or "10500.00" (invariant culture).</summary>
    public static bool TryParse(string? text, out decimal amount) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out amount);

    /// <summary>1000 → "1,000.00"; 1234567.891 → "1,234,567.89".</summary>
    public static string Format(decimal amount) =>
        amount.ToString("#,##0.00", CultureInfo.InvariantCulture);
}
