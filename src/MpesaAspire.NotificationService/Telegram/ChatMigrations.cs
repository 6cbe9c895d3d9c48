using System.Collections.Concurrent;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// Groups that became supergroups (Telegram's <c>migrate_to_chat_id</c>), remembered for the life of
/// the process so later messages, the admin chat's included, go straight to the new id.
/// </summary>
internal sealed class ChatMigrations
{
    private const int MaxHops = 8;
    private readonly ConcurrentDictionary<long, long> _movedTo = new();

    /// <summary>The chat id to send to now.</summary>
    public long Resolve(long chatId)
    {
        var current = chatId;
        for (var hop = 0; hop < MaxHops && _movedTo.TryGetValue(current, out var next); hop++)
        {
            current = next;
        }

        return current;
    }

    public void Remember(long fromChatId, long toChatId)
    {
        if (fromChatId != toChatId)
        {
            _movedTo[fromChatId] = toChatId;
        }
    }
}
