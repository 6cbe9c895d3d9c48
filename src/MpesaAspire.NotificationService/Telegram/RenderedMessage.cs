namespace MpesaAspire.NotificationService.Telegram;

/// <summary>A message ready for Telegram.</summary>
/// <param name="Html">What is sent, in Telegram's HTML parse mode, every value escaped.</param>
/// <param name="Text">What the recipient sees (the HTML without tags, entities decoded).</param>
internal sealed record RenderedMessage(string Html, string Text);
