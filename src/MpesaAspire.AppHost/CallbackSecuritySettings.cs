namespace MpesaAspire.AppHost;

/// <summary>
/// The callback URL's secret token: the AppHost parameter <c>callback-token</c>, passed to the
/// gateway only, and only when the operator sets it (the callback is then served at
/// <c>/mpesa/callback/{token}</c> and nowhere else).
/// </summary>
internal static class CallbackSecuritySettings
{
    public const string CallbackTokenParameter = "callback-token";

    public static IResourceBuilder<ProjectResource> WithCallbackToken(this IResourceBuilder<ProjectResource> gateway)
    {
        var builder = gateway.ApplicationBuilder;
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{CallbackTokenParameter}"]))
        {
            return gateway;
        }

        return gateway.WithEnvironment("CallbackSecurity__CallbackToken", builder.AddParameter(CallbackTokenParameter, secret: true));
    }
}
