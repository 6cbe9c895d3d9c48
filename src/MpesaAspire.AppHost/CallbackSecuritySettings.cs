using Microsoft.Extensions.Configuration;

namespace MpesaAspire.AppHost;

/// <summary>
/// How the public callback endpoint is protected, as the operator configures it on the AppHost and
/// passes on to the gateway only: the secret parameter <c>callback-token</c> (the callback is then
/// served at <c>/mpesa/callback/{token}</c> and nowhere else), and the <c>CallbackSecurity</c> and
/// <c>CallbackLimits</c> sections (allow-list mode, sources, trusted proxies, limits).
/// </summary>
internal static class CallbackSecuritySettings
{
    public const string CallbackTokenParameter = "callback-token";

    private static readonly string[] PassedSections = ["CallbackSecurity", "CallbackLimits"];

    public static IResourceBuilder<ProjectResource> WithCallbackSecurity(this IResourceBuilder<ProjectResource> gateway)
    {
        var builder = gateway.ApplicationBuilder;
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{CallbackTokenParameter}"]))
        {
            gateway.WithEnvironment("CallbackSecurity__CallbackToken", builder.AddParameter(CallbackTokenParameter, secret: true));
        }

        foreach (var section in PassedSections)
        {
            foreach (var (key, value) in builder.Configuration.GetSection(section).AsEnumerable())
            {
                // The token travels as the secret parameter above, never as plain configuration.
                if (value is not null && !key.Equals("CallbackSecurity:CallbackToken", StringComparison.OrdinalIgnoreCase))
                {
                    gateway.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
                }
            }
        }

        return gateway;
    }
}
