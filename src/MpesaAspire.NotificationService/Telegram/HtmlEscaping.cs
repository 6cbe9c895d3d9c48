using System.Text;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// Escapes text for Telegram's HTML parse mode: <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> and <c>"</c>
/// become entities Telegram decodes, so any value is displayed literally.
/// </summary>
internal static class HtmlEscaping
{
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny("&<>\"") < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => null,
            } ?? c.ToString());
        }

        return escaped.ToString();
    }
}
