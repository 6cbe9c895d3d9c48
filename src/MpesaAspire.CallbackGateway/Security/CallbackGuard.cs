using System.Net;
using Microsoft.Extensions.Options;

namespace MpesaAspire.CallbackGateway.Security;

/// <summary>
/// In front of the callback handler: a callback without the right URL token is answered 404 as if
/// the endpoint did not exist; one from outside the source allow-list is answered 403 (mode
/// <c>enforce</c>) or logged (mode <c>log</c>). Nothing is read or recorded for a refused callback,
/// and the presented token is never logged.
/// </summary>
public sealed partial class CallbackGuard(
    CallbackToken token,
    ClientAddressResolver clientAddresses,
    IOptions<CallbackSecurityOptions> options,
    ILogger<CallbackGuard> logger) : IEndpointFilter
{
    private readonly AddressList _allowedSources = AddressList.Parse(options.Value.EffectiveAllowedSources, "CallbackSecurity:AllowedSources");

    /// <summary>Whether <paramref name="address"/> is one of the sources callbacks are expected from.</summary>
    public bool IsAllowedSource(IPAddress? address) => _allowedSources.Contains(address);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var client = clientAddresses.Resolve(http);
        var clientText = client?.ToString() ?? "unknown";

        if (token.IsRequired && !token.Matches(http.GetRouteValue(CallbackToken.RouteValueName) as string))
        {
            LogWrongToken(logger, clientText);
            return TypedResults.NotFound();
        }

        var mode = options.Value.Mode;
        if (mode != SourceCheckMode.Off && !IsAllowedSource(client))
        {
            if (mode == SourceCheckMode.Enforce)
            {
                LogSourceRefused(logger, clientText);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Callback source not allowed",
                    detail: "Callbacks are accepted from Safaricom's addresses only.");
            }

            LogSourceNotAllowListed(logger, clientText);
        }

        return await next(context);
    }

    /// <summary>A POST to the untokenised path while a token is configured: 404, logged like a wrong token.</summary>
    public IResult RefuseUntokenised(HttpContext http)
    {
        LogWrongToken(logger, clientAddresses.Resolve(http)?.ToString() ?? "unknown");
        return TypedResults.NotFound();
    }

    [LoggerMessage(EventId = 6300, Level = LogLevel.Warning, Message = "Refused a callback from {Client}: missing or wrong callback token (404)")]
    private static partial void LogWrongToken(ILogger logger, string client);

    [LoggerMessage(EventId = 6301, Level = LogLevel.Warning, Message = "Refused a callback from {Client}: not an allowed callback source (403)")]
    private static partial void LogSourceRefused(ILogger logger, string client);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Warning, Message = "Callback from {Client}, which is not an allowed callback source (accepted: CallbackSecurity:Mode is log)")]
    private static partial void LogSourceNotAllowListed(ILogger logger, string client);
}
