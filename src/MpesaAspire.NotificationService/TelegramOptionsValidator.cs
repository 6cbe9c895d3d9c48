using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MpesaAspire.NotificationService;

/// <summary>
/// Fails start-up with a message naming the key when the <c>Telegram</c> section cannot work.
/// The bot token is a secret: its value never appears in a message.
/// </summary>
public sealed partial class TelegramOptionsValidator : IValidateOptions<TelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, TelegramOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (!options.IsDryRun && !BotTokenShape().IsMatch(options.BotToken!))
        {
            failures.Add(
                "Telegram:BotToken is not a bot token: expected '<bot id>:<secret>' as issued by @BotFather " +
                "(digits, a colon, then letters, digits, '_' or '-'; the value is not shown). Leave it empty to run in dry-run mode.");
        }

        if (options.AdminChatId == 0)
        {
            failures.Add("Telegram:AdminChatId must be a Telegram chat id (non-zero; negative for groups), or left unset.");
        }

        if (!Uri.TryCreate(options.ResolvedApiBaseUrl, UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("Telegram:ApiBaseUrl must be an absolute http or https URL such as https://api.telegram.org.");
        }

        if (options.DigestThreshold < 2)
        {
            failures.Add("Telegram:DigestThreshold must be at least 2 (the number of waiting admin messages that makes a digest).");
        }

        AddIfOutside(failures, "Telegram:MaxPacingWait", options.MaxPacingWait, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        AddIfOutside(failures, "Telegram:PerChatInterval", options.PerChatInterval, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        AddIfOutside(failures, "Telegram:RequestTimeout", options.RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        AddIfOutside(failures, "Telegram:StatusRefreshInterval", options.StatusRefreshInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        AddIfOutside(failures, "Telegram:StatusRetryInterval", options.StatusRetryInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        AddIfOutside(failures, "Telegram:DeliveredMemoryAge", options.DeliveredMemoryAge, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));

        if (options.GroupMessagesPerMinute < 1)
        {
            failures.Add("Telegram:GroupMessagesPerMinute must be at least 1.");
        }

        if (options.MessagesPerSecond < 1)
        {
            failures.Add("Telegram:MessagesPerSecond must be at least 1.");
        }

        if (options.TransientRetryAfterSeconds < 1 || options.MisconfiguredRetryAfterSeconds < 1)
        {
            failures.Add("Telegram:TransientRetryAfterSeconds and Telegram:MisconfiguredRetryAfterSeconds must be at least 1.");
        }

        if (options.DeliveredMemorySize < 1)
        {
            failures.Add("Telegram:DeliveredMemorySize must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AddIfOutside(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be between {min:c} and {max:c}.");
        }
    }

    [GeneratedRegex("^[0-9]+:[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex BotTokenShape();
}
