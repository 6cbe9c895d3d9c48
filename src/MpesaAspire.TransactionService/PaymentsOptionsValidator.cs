using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Domain;

namespace MpesaAspire.TransactionService;

/// <summary>
/// Fills in the default verification mode (<c>query</c> when Daraja is configured, else <c>none</c>)
/// and checks the <c>Payments</c> section at start-up: <c>query</c> needs Daraja.
/// </summary>
public sealed class PaymentsOptionsValidator(IOptions<DarajaOptions> daraja) : IValidateOptions<PaymentsOptions>, IPostConfigureOptions<PaymentsOptions>
{
    private const string Section = PaymentsOptions.SectionName;

    public void PostConfigure(string? name, PaymentsOptions options) =>
        options.Verification ??= DarajaConfigured() ? PaymentVerification.Query : PaymentVerification.None;

    public ValidateOptionsResult Validate(string? name, PaymentsOptions options)
    {
        List<string> failures = [];
        if (options.Verification is { } mode && !Enum.IsDefined(mode))
        {
            failures.Add($"{Section}:Verification must be 'none', 'registered' or 'query'.");
        }

        if (options.Verification == PaymentVerification.Query && !DarajaConfigured())
        {
            failures.Add(
                $"{Section}:Verification is 'query' but Daraja is not configured, so no success could ever be confirmed: "
                + "set the AppHost parameters daraja-consumer-key, daraja-consumer-secret and daraja-passkey, "
                + $"or choose {Section}:Verification 'registered' or 'none'.");
        }

        if (options.VerificationTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:VerificationTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// Whether any Daraja credential is set. Settings that fail their own validation count as configured:
    /// that failure is reported once, by the Daraja section's validator, not again here.
    /// </summary>
    private bool DarajaConfigured()
    {
        try
        {
            return daraja.Value.IsConfigured;
        }
        catch (OptionsValidationException)
        {
            return true;
        }
    }
}
