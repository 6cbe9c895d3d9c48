using Microsoft.Extensions.Options;

namespace MpesaAspire.TransactionService;

/// <summary>
/// Checks the <c>Daraja</c> section at start-up. Messages name the key and never echo a secret; with
/// no credentials at all only the non-secret settings are checked (Daraja is simply off).
/// </summary>
public sealed class DarajaOptionsValidator : IValidateOptions<DarajaOptions>
{
    private const string Section = DarajaOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, DarajaOptions options)
    {
        List<string> failures = [];
        if (!string.Equals(options.Environment, DarajaOptions.SandboxEnvironment, StringComparison.OrdinalIgnoreCase)
            && !options.IsProduction)
        {
            failures.Add($"{Section}:Environment must be '{DarajaOptions.SandboxEnvironment}' or '{DarajaOptions.ProductionEnvironment}', not '{options.Environment}'.");
        }

        if (options.TransactionType is not (DarajaOptions.PayBill or DarajaOptions.BuyGoods))
        {
            failures.Add($"{Section}:TransactionType must be '{DarajaOptions.PayBill}' or '{DarajaOptions.BuyGoods}', not '{options.TransactionType}'.");
        }

        if (!string.IsNullOrWhiteSpace(options.BaseUrl) && !IsHttpUrl(options.BaseUrl))
        {
            failures.Add($"{Section}:BaseUrl must be an absolute http(s) URL such as {DarajaOptions.SandboxUrl}.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:RequestTimeout must be positive.");
        }

        if (options.TokenRefreshMargin < TimeSpan.Zero || options.TokenRefreshMargin >= TimeSpan.FromMinutes(30))
        {
            failures.Add($"{Section}:TokenRefreshMargin must be between 0 and 30 minutes.");
        }

        if (options.IsConfigured)
        {
            // Secrets: say which one is missing, never what was given.
            Require(options.ConsumerKey, "ConsumerKey (AppHost parameter daraja-consumer-key)", failures);
            Require(options.ConsumerSecret, "ConsumerSecret (AppHost parameter daraja-consumer-secret)", failures);
            Require(options.Passkey, "Passkey (AppHost parameter daraja-passkey)", failures);
            if (!IsDigits(options.EffectiveShortCode))
            {
                failures.Add($"{Section}:ShortCode is required in production and must be digits (the paybill or store number).");
            }

            if (!IsDigits(options.EffectivePartyB))
            {
                failures.Add($"{Section}:PartyB must be digits (the paybill or till number receiving the money).");
            }

            if (string.IsNullOrWhiteSpace(options.CallbackUrl) || !IsHttpUrl(options.CallbackUrl))
            {
                failures.Add($"{Section}:CallbackUrl is required when Daraja is configured: the public URL of the gateway's /mpesa/callback.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(string? value, string key, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{Section}:{key} is required when any Daraja credential is set.");
        }
    }

    private static bool IsDigits(string value) => value.Length is > 0 and <= 20 && value.All(char.IsAsciiDigit);

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
