using MpesaAspire.CallbackGateway.Security;

namespace MpesaAspire.CallbackGateway.Extensions;

/// <summary>Puts the callback protections in the request pipeline and on the callback endpoints.</summary>
public static class CallbackProtectionWebApplicationExtensions
{
    /// <summary>Applies the rate and concurrency limits and the request timeouts (after routing, so they know the endpoint).</summary>
    public static WebApplication UseCallbackProtection(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        return app;
    }

    /// <summary>
    /// Maps a callback endpoint behind the URL token and source checks. With
    /// <c>CallbackSecurity:CallbackToken</c> set, the handler is served at <c>{path}/{token}</c> only
    /// and a POST to <paramref name="path"/> itself is answered 404 (and logged, without any token).
    /// </summary>
    public static RouteHandlerBuilder MapProtectedCallback(this IEndpointRouteBuilder app, string path, Delegate handler)
    {
        if (app.ServiceProvider.GetRequiredService<CallbackToken>().IsRequired)
        {
            app.MapPost(path, (HttpContext http, CallbackGuard guard) => guard.RefuseUntokenised(http))
                .WithMetadata(CallbackEndpointMetadata.Instance)
                .ExcludeFromDescription();
            path += "/{" + CallbackToken.RouteValueName + "}";
        }

        return app.MapPost(path, handler)
            .WithMetadata(CallbackEndpointMetadata.Instance)
            .AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<CallbackGuard>().InvokeAsync(context, next));
    }
}
