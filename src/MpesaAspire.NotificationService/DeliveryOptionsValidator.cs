using Microsoft.Extensions.Options;

namespace MpesaAspire.NotificationService;

/// <summary>Fails start-up with a message naming the key when the <c>Delivery</c> section cannot work.</summary>
public sealed class DeliveryOptionsValidator(IOptions<TelegramOptions> telegram) : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.TransactionService is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("Delivery:TransactionService must be an absolute http(s) URI, e.g. http://_grpc.transaction-service.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add("Delivery:PollInterval must be between 00:00:00.1 and 00:05:00.");
        }

        if (options.BatchSize is < 1 or > 100)
        {
            failures.Add("Delivery:BatchSize must be between 1 and 100.");
        }

        if (options.MaxInFlight is < 1 or > 1024)
        {
            failures.Add("Delivery:MaxInFlight must be between 1 and 1024.");
        }

        if (options.CallDeadline <= TimeSpan.Zero || options.MaxBackoff < options.PollInterval || options.CountInterval <= TimeSpan.Zero)
        {
            failures.Add("Delivery:CallDeadline and Delivery:CountInterval must be positive, Delivery:MaxBackoff not shorter than Delivery:PollInterval.");
        }

        if (options.SenderLease < options.CallDeadline * 3 || options.SenderLease > TimeSpan.FromMinutes(5))
        {
            failures.Add("Delivery:SenderLease must be at least three times Delivery:CallDeadline and at most five minutes.");
        }

        var settings = telegram.Value;
        var longestDelivery = settings.MaxPacingWait + settings.RequestTimeout + options.CallDeadline + options.CallDeadline;
        if (options.Lease <= longestDelivery || options.Lease > TimeSpan.FromHours(1))
        {
            failures.Add(
                $"Delivery:Lease must be longer than Telegram:MaxPacingWait + Telegram:RequestTimeout + twice Delivery:CallDeadline ({longestDelivery:c}) "
                + "and at most one hour, or a notification could be taken over while it is being sent.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
