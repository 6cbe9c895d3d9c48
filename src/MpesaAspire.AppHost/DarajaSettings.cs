namespace MpesaAspire.AppHost;

/// <summary>
/// The Daraja settings an operator gives the AppHost (environment, user-secrets or
/// <c>--Key=Value</c>), passed on to the transaction service only: the credentials as secret
/// parameters, the rest from the <c>Daraja</c> section, and the <c>Reconciliation</c> schedule.
/// Without credentials the system runs as before: no pushes, no queries, and health says so.
/// </summary>
internal static class DarajaSettings
{
    public const string ConsumerKeyParameter = "daraja-consumer-key";
    public const string ConsumerSecretParameter = "daraja-consumer-secret";
    public const string PasskeyParameter = "daraja-passkey";

    private static readonly string[] Settings =
        ["Environment", "BaseUrl", "ShortCode", "TransactionType", "PartyB", "CallbackUrl", "RequestTimeout", "TokenRefreshMargin"];

    public static IResourceBuilder<ProjectResource> WithDarajaSettings(this IResourceBuilder<ProjectResource> service)
    {
        var builder = service.ApplicationBuilder;
        foreach (var (parameter, variable) in new[]
                 {
                     (ConsumerKeyParameter, "Daraja__ConsumerKey"),
                     (ConsumerSecretParameter, "Daraja__ConsumerSecret"),
                     (PasskeyParameter, "Daraja__Passkey"),
                 })
        {
            if (!string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{parameter}"]))
            {
                service.WithEnvironment(variable, builder.AddParameter(parameter, secret: true));
            }
        }

        foreach (var setting in Settings)
        {
            if (builder.Configuration[$"Daraja:{setting}"] is { Length: > 0 } value)
            {
                service.WithEnvironment($"Daraja__{setting}", value);
            }
        }

        foreach (var setting in builder.Configuration.GetSection("Reconciliation").GetChildren())
        {
            if (setting.Value is { Length: > 0 } value)
            {
                service.WithEnvironment($"Reconciliation__{setting.Key}", value);
            }
        }

        return service;
    }

    /// <summary>
    /// The <c>Payments</c> section (<c>Verification</c>, <c>VerificationTimeout</c>), passed on as given;
    /// the transaction service picks the default mode and refuses <c>query</c> without Daraja.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPaymentSettings(this IResourceBuilder<ProjectResource> service)
    {
        foreach (var setting in service.ApplicationBuilder.Configuration.GetSection("Payments").GetChildren())
        {
            if (setting.Value is { Length: > 0 } value)
            {
                service.WithEnvironment($"Payments__{setting.Key}", value);
            }
        }

        return service;
    }
}
