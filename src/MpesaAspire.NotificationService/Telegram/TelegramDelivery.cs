using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// Sends one rendered message to one chat within the chat's pace and turns Telegram's answer into
/// an outcome: 429 → waiting for exactly <c>retry_after</c> (not a failed attempt; the chat paused); 403 and
/// "chat not found" → failed for good; other 4xx → failed for good, logged as our error; a migrated
/// group → resent to the new id at once; no connection, 5xx → retry shortly; no answer in time or a
/// connection broken after the request left → uncertain (Telegram may have delivered it).
/// </summary>
internal sealed class TelegramDelivery(
    TelegramBotClientFactory clients,
    ChatPacer pacer,
    ChatMigrations migrations,
    NotificationMetrics metrics,
    IOptions<TelegramOptions> options,
    ILogger<TelegramDelivery> logger)
{
    private const int MaxMigrationHops = 3;

    /// <summary>
    /// Sends <paramref name="message"/> to <paramref name="chatId"/> (or where it migrated to).
    /// <paramref name="slotHeld"/>: the caller already waited for this chat's slot.
    /// <paramref name="beforeSend"/>: called once the slot is granted, right before the request leaves;
    /// when it answers false (or fails) nothing is sent. Receipts use it to record the send durably first.
    /// </summary>
    public async Task<SendOutcome> SendAsync(
        long chatId, RenderedMessage message, bool slotHeld, Func<CancellationToken, Task<bool>>? beforeSend, CancellationToken cancellationToken)
    {
        var target = migrations.Resolve(chatId);
        long? migratedTo = target != chatId ? target : null;
        var client = clients.Create();

        var hops = 0;
        while (true)
        {
            if (!slotHeld)
            {
                var slot = await pacer.WaitForSlotAsync(target, cancellationToken);
                if (!slot.IsGranted)
                {
                    // Not held here, and not an attempt: it goes back to the outbox until its slot comes.
                    logger.PacingBoundExceeded(target, slot.RetryAfterSeconds);
                    return SendOutcome.Waiting(
                        slot.RetryAfterSeconds,
                        $"chat {target} is paced (Telegram limits): no slot within {options.Value.MaxPacingWait.TotalSeconds:0} s",
                        migratedTo);
                }
            }

            slotHeld = false;
            if (beforeSend is not null)
            {
                var mayStart = await MayStartAsync(beforeSend, target, cancellationToken);
                if (mayStart is not null)
                {
                    return mayStart with { MigratedToChatId = migratedTo };
                }

                beforeSend = null;
            }

            try
            {
                // Once on its way, a message is not abandoned: a caller that gives up mid-request would
                // leave "sent or not?" open and invite a second copy. The request timeout bounds it.
                Message sent;
                try
                {
                    sent = await client.SendMessage(
                        target,
                        message.Html,
                        ParseMode.Html,
                        linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true },
                        cancellationToken: CancellationToken.None);
                }
                finally
                {
                    pacer.Completed(target);
                }

                return SendOutcome.Delivered(sent.Id, migratedTo);
            }
            catch (ApiRequestException exception) when (exception.Parameters?.MigrateToChatId is { } newChatId && hops++ < MaxMigrationHops)
            {
                metrics.TelegramFailed("migrated");
                migrations.Remember(target, newChatId);
                migrations.Remember(chatId, newChatId);
                logger.ChatMigrated(target, newChatId);
                target = newChatId;
                migratedTo = newChatId;
            }
            catch (ApiRequestException exception)
            {
                return Refused(exception, target, migratedTo);
            }
            catch (RequestException exception) when (exception.InnerException is OperationCanceledException or TimeoutException)
            {
                return NoAnswer(target, migratedTo);
            }
            catch (RequestException exception) when (NeverLeft(exception.InnerException))
            {
                return Unavailable(target, Describe(exception), migratedTo);
            }
            catch (HttpRequestException exception) when (NeverLeft(exception))
            {
                return Unavailable(target, exception.Message, migratedTo);
            }
            catch (Exception exception) when (exception is RequestException or HttpRequestException or IOException)
            {
                return ConnectionLost(target, Describe(exception), migratedTo);
            }
            catch (OperationCanceledException)
            {
                return NoAnswer(target, migratedTo);
            }
        }
    }

    /// <summary>A short reason for a failed Bot API call, without the token (which is part of every URL).</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reason = exception switch
        {
            ApiRequestException api => api.Message,
            RequestException { InnerException: { } inner } => inner is TaskCanceledException ? "the request to Telegram timed out" : inner.Message,
            _ => exception.Message,
        };

        return reason.Length <= 200 ? reason : reason[..200];
    }

    private SendOutcome Refused(ApiRequestException exception, long chatId, long? migratedTo)
    {
        var settings = options.Value;
        var code = exception.ErrorCode;
        var description = exception.Message;
        metrics.TelegramFailed(code.ToString(System.Globalization.CultureInfo.InvariantCulture));

        switch (code)
        {
            case 429:
                var retryAfter = exception.Parameters?.RetryAfter ?? settings.TransientRetryAfterSeconds;
                // Groups have their own per-minute limit; a 429 on a private chat means the bot as a whole is too fast.
                var wholeBot = chatId > 0;
                pacer.Pause(chatId, TimeSpan.FromSeconds(retryAfter), wholeBot);
                logger.RateLimited(chatId, retryAfter, wholeBot);
                // Telegram said exactly when: waiting, not a failed attempt that the outbox would back off further.
                return SendOutcome.Waiting(retryAfter, description, migratedTo);

            case 401 or 404:
                logger.BotRefused(code, description);
                return SendOutcome.Retry(settings.MisconfiguredRetryAfterSeconds, description, migratedTo);

            case 403:
            case 400 when description.Contains("chat not found", StringComparison.OrdinalIgnoreCase):
                logger.ChatRefused(chatId, code, description);
                return SendOutcome.FailedPermanently(description, migratedTo);

            case >= 500 or 408:
                logger.TelegramUnavailable(chatId, description);
                return SendOutcome.Retry(settings.TransientRetryAfterSeconds, description, migratedTo);

            default:
                logger.MessageRejected(chatId, code, description);
                return SendOutcome.FailedPermanently(description, migratedTo);
        }
    }

    /// <summary>Null when the send may start; else why it must not (the chat's slot is given back).</summary>
    private async Task<SendOutcome?> MayStartAsync(Func<CancellationToken, Task<bool>> beforeSend, long chatId, CancellationToken cancellationToken)
    {
        try
        {
            if (await beforeSend(cancellationToken))
            {
                return null;
            }

            pacer.Completed(chatId);
            return SendOutcome.Retry(options.Value.TransientRetryAfterSeconds, "not sent: another holder has this notification now");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            pacer.Completed(chatId);
            return SendOutcome.Retry(options.Value.TransientRetryAfterSeconds, "not sent: the start of the send could not be recorded: " + exception.Message);
        }
        catch (OperationCanceledException)
        {
            pacer.Completed(chatId);
            throw;
        }
    }

    /// <summary>
    /// The request left but no answer came within the request timeout: Telegram may well have delivered
    /// it (a slow Bot API does).
    /// </summary>
    private SendOutcome NoAnswer(long chatId, long? migratedTo)
    {
        metrics.TelegramFailed("timeout");
        logger.TelegramDidNotAnswer(chatId, options.Value.RequestTimeout);
        return SendOutcome.Uncertain(
            $"no answer from Telegram within {options.Value.RequestTimeout.TotalSeconds:0} s: the message may have been delivered", migratedTo);
    }

    /// <summary>
    /// True when the request certainly never reached Telegram: no connection could be made (refused,
    /// no such host, TLS or proxy failure). Anything else (a reset, a response cut short) may have
    /// happened after Telegram took the message.
    /// </summary>
    private static bool NeverLeft(Exception? exception) =>
        exception is HttpRequestException
        {
            HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError,
        };

    /// <summary>The connection broke after the request left: Telegram may have delivered it.</summary>
    private SendOutcome ConnectionLost(long chatId, string reason, long? migratedTo)
    {
        metrics.TelegramFailed("connection_lost");
        logger.TelegramConnectionLost(chatId, reason);
        return SendOutcome.Uncertain($"the connection to Telegram broke after the request left ({reason}): the message may have been delivered", migratedTo);
    }

    private SendOutcome Unavailable(long chatId, string reason, long? migratedTo)
    {
        metrics.TelegramFailed("network");
        logger.TelegramUnavailable(chatId, reason);
        return SendOutcome.Retry(options.Value.TransientRetryAfterSeconds, "Telegram unreachable: " + reason, migratedTo);
    }
}
