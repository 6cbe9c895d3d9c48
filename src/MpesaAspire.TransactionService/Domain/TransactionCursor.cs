using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MpesaAspire.TransactionService.Domain;

/// <summary>
/// Keyset position in the history (newest first): the last row's created_at and id. Encoded as an
/// opaque page token; callers must not build one themselves.
/// </summary>
public sealed record TransactionCursor(DateTime CreatedAt, long Id)
{
    private const string Version = "t1";

    public string Encode()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Version}:{CreatedAt.Ticks}:{Id}");
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    public static bool TryDecode(string token, out TransactionCursor? cursor)
    {
        cursor = null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(bytes).Split(':');
        if (parts.Length != 3
            || parts[0] != Version
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTime.MaxValue.Ticks
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        cursor = new TransactionCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}
