using System.Globalization;
using System.Text;

namespace MpesaAspire.TestSupport;

/// <summary>
/// Telegram's HTML parse mode as the Bot API applies it: only its tags, properly nested, and only
/// its entities (<c>&amp;lt;</c>, <c>&amp;gt;</c>, <c>&amp;amp;</c>, <c>&amp;quot;</c> and numeric ones).
/// Anything else is refused the way Telegram refuses it ("can't parse entities: …").
/// </summary>
public static class FakeTelegramHtml
{
    private static readonly HashSet<string> AllowedTags = new(StringComparer.Ordinal)
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "code", "pre", "blockquote", "tg-emoji",
    };

    /// <summary>
    /// Parses <paramref name="html"/>; on success returns the text a user sees (tags stripped,
    /// entities decoded) and a null error, else a null text and the reason Telegram would give.
    /// </summary>
    public static (string? Text, string? Error) Parse(string html)
    {
        ArgumentNullException.ThrowIfNull(html);

        var text = new StringBuilder(html.Length);
        var open = new Stack<string>();
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '<')
            {
                var close = html.IndexOf('>', i + 1);
                if (close < 0)
                {
                    return (null, $"Unclosed start tag at byte offset {ByteOffset(html, i)}");
                }

                var inner = html[(i + 1)..close];
                if (inner.StartsWith('/'))
                {
                    var name = inner[1..].Trim().ToLowerInvariant();
                    if (open.Count == 0)
                    {
                        return (null, $"Unexpected end tag at byte offset {ByteOffset(html, i)}");
                    }

                    if (open.Peek() != name)
                    {
                        return (null, $"Unmatched end tag at byte offset {ByteOffset(html, i)}, expected \"</{open.Peek()}>\", found \"</{name}>\"");
                    }

                    open.Pop();
                }
                else
                {
                    var nameLength = 0;
                    while (nameLength < inner.Length && (char.IsAsciiLetterOrDigit(inner[nameLength]) || inner[nameLength] == '-'))
                    {
                        nameLength++;
                    }

                    var name = inner[..nameLength].ToLowerInvariant();
                    var rest = inner[nameLength..];
                    if (name.Length == 0 || !char.IsAsciiLetter(name[0]) || !AllowedTags.Contains(name)
                        || (rest.Length > 0 && !char.IsWhiteSpace(rest[0])))
                    {
                        return (null, $"Unsupported start tag \"{inner}\" at byte offset {ByteOffset(html, i)}");
                    }

                    if (rest.Contains('<', StringComparison.Ordinal))
                    {
                        return (null, $"Unexpected \"<\" in start tag at byte offset {ByteOffset(html, i)}");
                    }

                    open.Push(name);
                }

                i = close + 1;
            }
            else if (c == '&')
            {
                var semicolon = html.IndexOf(';', i + 1);
                var entity = semicolon < 0 || semicolon - i > 12 ? null : html[(i + 1)..semicolon];
                var decoded = entity is null ? null : DecodeEntity(entity);
                if (decoded is null)
                {
                    return (null, $"Unsupported HTML entity or unescaped \"&\" at byte offset {ByteOffset(html, i)}");
                }

                text.Append(decoded);
                i = semicolon + 1;
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        if (open.Count > 0)
        {
            return (null, $"Can't find end tag corresponding to start tag \"{open.Peek()}\"");
        }

        return (text.ToString(), null);
    }

    private static string? DecodeEntity(string entity)
    {
        switch (entity)
        {
            case "lt": return "<";
            case "gt": return ">";
            case "amp": return "&";
            case "quot": return "\"";
        }

        if (entity.Length > 1 && entity[0] == '#')
        {
            var isHex = entity[1] is 'x' or 'X';
            var digits = isHex ? entity[2..] : entity[1..];
            var style = isHex ? NumberStyles.AllowHexSpecifier : NumberStyles.None;
            if (digits.Length > 0 && int.TryParse(digits, style, CultureInfo.InvariantCulture, out var codePoint)
                && codePoint is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF))
            {
                return char.ConvertFromUtf32(codePoint);
            }
        }

        return null;
    }

    private static int ByteOffset(string html, int index) => Encoding.UTF8.GetByteCount(html.AsSpan(0, index));
}
