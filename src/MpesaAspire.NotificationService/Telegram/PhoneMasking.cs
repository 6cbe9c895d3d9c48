namespace MpesaAspire.NotificationService.Telegram;

/// <summary>Phone numbers as logs show them: <c>2547****4149</c>.</summary>
internal static class PhoneMasking
{
    public static string Mask(string? phoneNumber)
    {
        if (string.IsNullOrEmpty(phoneNumber))
        {
            return string.Empty;
        }

        return phoneNumber.Length < 8 ? "****" : string.Concat(phoneNumber.AsSpan(0, 4), "****", phoneNumber.AsSpan(phoneNumber.Length - 4));
    }

    /// <summary>The text with every occurrence of <paramref name="phoneNumber"/> masked.</summary>
    public static string MaskIn(string text, string? phoneNumber)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.IsNullOrEmpty(phoneNumber) ? text : text.Replace(phoneNumber, Mask(phoneNumber), StringComparison.Ordinal);
    }
}
