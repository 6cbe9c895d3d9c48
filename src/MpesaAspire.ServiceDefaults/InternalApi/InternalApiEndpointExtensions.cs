using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MpesaAspire.ServiceDefaults.InternalApi;

namespace Microsoft.AspNetCore.Routing;

/// <summary>The internal credential on an operator's HTTP endpoint, as the gRPC interceptor checks it on calls.</summary>
public static class InternalApiEndpointExtensions
{
    /// <summary>
    /// Answers 401 to a request whose <c>authorization</c> header is not <c>Bearer &lt;internal-api-token&gt;</c>:
    /// an operator action on a service's HTTP endpoint is for the AppHost's dashboard commands only.
    /// </summary>
    public static TBuilder RequireInternalApiCredential<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var credential = context.HttpContext.RequestServices.GetRequiredService<InternalApiCredential>();
            return credential.Matches(context.HttpContext.Request.Headers[InternalApiCredential.HeaderName].ToString())
                ? await next(context)
                : TypedResults.Unauthorized();
        });
}
