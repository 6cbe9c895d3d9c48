using System.Diagnostics;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// The Bot API puts the token in every URL path (<c>/bot&lt;token&gt;/sendMessage</c>). Outgoing
/// HTTP spans would carry it in <c>url.full</c>; this rewrites the tag to <c>/bot[REDACTED]/sendMessage</c>.
/// </summary>
internal static class TelegramTraceRedaction
{
    private const string UrlFullTag = "url.full";
    private const string RedactedSegment = "bot[REDACTED]";

    public static void Redact(Activity activity, HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is not { } uri || !uri.AbsolutePath.StartsWith("/bot", StringComparison.Ordinal))
        {
            return;
        }

        activity.SetTag(UrlFullTag, RedactedUrl(uri));
    }

    public static string RedactedUrl(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var segments = uri.AbsolutePath.Split('/');
        if (segments.Length > 1 && segments[1].StartsWith("bot", StringComparison.Ordinal))
        {
            segments[1] = RedactedSegment;
        }

        return uri.GetLeftPart(UriPartial.Authority) + string.Join('/', segments);
    }
}
