namespace MpesaAspire.TestSupport;

/// <summary>A <c>sendMessage</c> call the fake Telegram accepted.</summary>
/// <param name="ChatId">The chat the message went to.</param>
/// <param name="Text">The text as a Telegram user sees it: tags stripped, HTML entities decoded.</param>
/// <param name="RawText">The text exactly as the bot sent it.</param>
/// <param name="ParseMode">The parse mode as sent (Telegram.Bot sends <c>"Html"</c>), or null.</param>
/// <param name="MessageId">The message id the fake answered with.</param>
/// <param name="ReceivedAt">When the fake accepted it (wall clock).</param>
public sealed record FakeTelegramMessage(
    long ChatId,
    string Text,
    string RawText,
    string? ParseMode,
    int MessageId,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The W3C <c>traceparent</c> header the request carried: which trace the Telegram call belongs to.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The trace id out of <see cref="TraceParent"/>, or null.</summary>
    public string? TraceId => TraceParent?.Split('-') is [_, var traceId, _, _] ? traceId : null;
}
