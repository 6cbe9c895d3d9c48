using Microsoft.Extensions.Options;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// Keeps the bot within Telegram's limits by handing out send slots: one message per
/// <see cref="TelegramOptions.PerChatInterval"/> per chat, <see cref="TelegramOptions.GroupMessagesPerMinute"/>
/// per group chat (negative ids), <see cref="TelegramOptions.MessagesPerSecond"/> across the bot.
/// A request waits for its slot up to <see cref="TelegramOptions.MaxPacingWait"/>; a slot further
/// away is refused with the seconds to wait. A 429 pauses the chat (and, when it hit a private chat,
/// the whole bot) until Telegram's <c>retry_after</c>: requests already waiting are moved behind it.
/// </summary>
internal sealed class ChatPacer(TimeProvider time, IOptions<TelegramOptions> options)
{
    private const int IdleChatSweepThreshold = 4096;
    private static readonly TimeSpan GroupWindow = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<long, ChatState> _chats = [];
    private readonly Dictionary<long, int> _botSlotsPerSecond = [];
    private DateTimeOffset _botPausedUntil;
    private long _botPauseEpoch;

    /// <summary>Waits for this chat's next slot; refuses (with seconds to wait) when it is beyond the bound.</summary>
    public async Task<PacingSlot> WaitForSlotAsync(long chatId, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.Value.MaxPacingWait;
        while (true)
        {
            Reservation reservation;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                var slot = EarliestSlot(chatId, now);
                if (slot > deadline)
                {
                    return PacingSlot.Refused(SecondsBetween(now, slot));
                }

                reservation = Reserve(chatId, slot);
            }

            var wait = reservation.At - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    lock (_gate)
                    {
                        Release(reservation);
                    }

                    throw;
                }
            }

            lock (_gate)
            {
                var now = time.GetUtcNow();
                var chat = GetChat(chatId);
                var pausedMeanwhile = chat.PauseEpoch != reservation.ChatPauseEpoch || _botPauseEpoch != reservation.BotPauseEpoch;
                var previousStillTooClose = chat.NotBefore > now;
                if (!previousStillTooClose && (!pausedMeanwhile || Max(chat.PausedUntil, _botPausedUntil) <= now))
                {
                    return PacingSlot.Granted;
                }

                // Telegram paused this chat (or the bot) while we waited, or the previous message
                // reached Telegram late: queue again behind it.
                Release(reservation);
            }
        }
    }

    /// <summary>Telegram answered 429 for this chat: nothing goes to it (or to anyone, when <paramref name="wholeBot"/>) before <paramref name="retryAfter"/> has passed.</summary>
    public void Pause(long chatId, TimeSpan retryAfter, bool wholeBot)
    {
        lock (_gate)
        {
            var until = time.GetUtcNow() + retryAfter;
            var chat = GetChat(chatId);
            chat.PausedUntil = Max(chat.PausedUntil, until);
            chat.PauseEpoch++;
            if (wholeBot)
            {
                _botPausedUntil = Max(_botPausedUntil, until);
                _botPauseEpoch++;
            }
        }
    }

    /// <summary>
    /// A send to this chat has finished. Telegram counts messages as they arrive, and a request can
    /// spend a while on the way: the next one waits a full interval from now, not from the slot.
    /// </summary>
    public void Completed(long chatId)
    {
        lock (_gate)
        {
            var chat = GetChat(chatId);
            var notBefore = time.GetUtcNow() + options.Value.PerChatInterval;
            chat.NotBefore = Max(chat.NotBefore, notBefore);
        }
    }

    /// <summary>Seconds until this chat could be sent to, were a request to ask now (0 when free).</summary>
    public int SecondsUntilFree(long chatId)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var slot = EarliestSlot(chatId, now);
            return slot <= now ? 0 : SecondsBetween(now, slot);
        }
    }

    private DateTimeOffset EarliestSlot(long chatId, DateTimeOffset now)
    {
        var settings = options.Value;
        var chat = GetChat(chatId);
        var slot = Max(Max(Max(now, chat.NextFree), chat.NotBefore), Max(chat.PausedUntil, _botPausedUntil));

        if (chatId < 0)
        {
            chat.Recent.RemoveAll(sent => sent <= now - GroupWindow);
            if (chat.Recent.Count >= settings.GroupMessagesPerMinute)
            {
                chat.Recent.Sort();
                slot = Max(slot, chat.Recent[chat.Recent.Count - settings.GroupMessagesPerMinute] + GroupWindow);
            }
        }

        var second = slot.ToUnixTimeSeconds();
        while (_botSlotsPerSecond.TryGetValue(second, out var used) && used >= settings.MessagesPerSecond)
        {
            second++;
            slot = Max(slot, DateTimeOffset.FromUnixTimeSeconds(second));
        }

        return slot;
    }

    private Reservation Reserve(long chatId, DateTimeOffset slot)
    {
        var chat = GetChat(chatId);
        chat.NextFree = slot + options.Value.PerChatInterval;
        if (chatId < 0)
        {
            chat.Recent.Add(slot);
        }

        var second = slot.ToUnixTimeSeconds();
        _botSlotsPerSecond[second] = _botSlotsPerSecond.GetValueOrDefault(second) + 1;
        ForgetOldSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        return new Reservation(chatId, slot, second, chat.PauseEpoch, _botPauseEpoch);
    }

    private void Release(Reservation reservation)
    {
        if (_chats.TryGetValue(reservation.ChatId, out var chat))
        {
            chat.Recent.Remove(reservation.At);
        }

        if (_botSlotsPerSecond.TryGetValue(reservation.Second, out var used))
        {
            _botSlotsPerSecond[reservation.Second] = used - 1;
        }
    }

    private ChatState GetChat(long chatId)
    {
        if (!_chats.TryGetValue(chatId, out var chat))
        {
            if (_chats.Count >= IdleChatSweepThreshold)
            {
                ForgetIdleChats(time.GetUtcNow());
            }

            chat = new ChatState();
            _chats[chatId] = chat;
        }

        return chat;
    }

    private void ForgetIdleChats(DateTimeOffset now)
    {
        foreach (var (chatId, chat) in _chats.ToList())
        {
            if (chat.NextFree < now && chat.NotBefore < now && chat.PausedUntil < now && chat.Recent.TrueForAll(sent => sent <= now - GroupWindow))
            {
                _chats.Remove(chatId);
            }
        }
    }

    private void ForgetOldSeconds(long currentSecond)
    {
        if (_botSlotsPerSecond.Count < 64)
        {
            return;
        }

        foreach (var second in _botSlotsPerSecond.Keys.Where(s => s < currentSecond - 1).ToList())
        {
            _botSlotsPerSecond.Remove(second);
        }
    }

    private static int SecondsBetween(DateTimeOffset from, DateTimeOffset to) =>
        Math.Max(1, (int)Math.Ceiling((to - from).TotalSeconds));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed class ChatState
    {
        public DateTimeOffset NextFree { get; set; }

        /// <summary>No send before this: one interval after the previous send to this chat finished.</summary>
        public DateTimeOffset NotBefore { get; set; }

        public DateTimeOffset PausedUntil { get; set; }

        public long PauseEpoch { get; set; }

        /// <summary>Reserved send times in the last minute (group chats only).</summary>
        public List<DateTimeOffset> Recent { get; } = [];
    }

    private readonly record struct Reservation(long ChatId, DateTimeOffset At, long Second, long ChatPauseEpoch, long BotPauseEpoch);
}
