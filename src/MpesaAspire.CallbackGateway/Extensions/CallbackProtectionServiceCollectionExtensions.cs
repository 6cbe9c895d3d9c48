using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Security;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Logs;

namespace MpesaAspire.CallbackGateway.Extensions;

/// <summary>Registers what stands between the internet and the callback handler.</summary>
public static class CallbackProtectionServiceCollectionExtensions
{
    /// <summary>
    /// Adds the URL token and source checks (section <c>CallbackSecurity</c>), the rate, concurrency,
    /// time and size limits (section <c>CallbackLimits</c>, <c>Callback:MaxBodyBytes</c>), and keeps
    /// the callback token out of traces and exported logs.
    /// </summary>
    public static IServiceCollection AddCallbackProtection(this IServiceCollection services)
    {
        services.AddOptions<CallbackSecurityOptions>()
            .BindConfiguration(CallbackSecurityOptions.SectionName)
            .Validate(o => !o.HasCallbackToken || o.CallbackToken!.Length >= CallbackSecurityOptions.MinimumTokenLength,
                $"CallbackSecurity:CallbackToken must be at least {CallbackSecurityOptions.MinimumTokenLength} characters long.")
            .Validate(o => !o.HasCallbackToken || CallbackToken.IsUrlSafe(o.CallbackToken!),
                "CallbackSecurity:CallbackToken may contain only letters, digits, '-', '_', '.' and '~' (it is a URL path segment).")
            .Validate(o => Enum.IsDefined(o.Mode), "CallbackSecurity:Mode must be off, log or enforce.")
            .Validate(o => AddressList.AreValid(o.EffectiveAllowedSources),
                "CallbackSecurity:AllowedSources must list IP addresses or CIDR ranges (e.g. 196.201.214.200, 196.201.214.0/24).")
            .Validate(o => AddressList.AreValid(o.TrustedProxies),
                "CallbackSecurity:TrustedProxies must list IP addresses or CIDR ranges (e.g. 127.0.0.1, 10.0.0.0/8).")
            .ValidateOnStart();

        services.AddOptions<CallbackLimitsOptions>()
            .BindConfiguration(CallbackLimitsOptions.SectionName)
            .Validate(o => o.PermitLimitPerSource >= 1, "CallbackLimits:PermitLimitPerSource must be at least 1.")
            .Validate(o => o.Window > TimeSpan.Zero && o.Window <= TimeSpan.FromHours(1), "CallbackLimits:Window must be positive and at most an hour.")
            .Validate(o => o.ConcurrencyLimit is >= 1 and <= 1024, "CallbackLimits:ConcurrencyLimit must be between 1 and 1024.")
            .Validate(o => o.QueueLimit is >= 0 and <= 100_000, "CallbackLimits:QueueLimit must be between 0 and 100000.")
            .Validate<IOptions<CallbackOptions>>((o, callback) => o.RequestTimeout > callback.Value.RecordDeadline,
                "CallbackLimits:RequestTimeout must be longer than Callback:RecordDeadline, or a callback being recorded would be cut off.")
            .ValidateOnStart();

        services.AddSingleton(provider => new CallbackToken(provider.GetRequiredService<IOptions<CallbackSecurityOptions>>().Value.CallbackToken));
        services.AddSingleton<ClientAddressResolver>();
        services.AddSingleton<CallbackGuard>();

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<CallbackLimitsOptions>, CallbackGuard, ClientAddressResolver>((options, limits, guard, clientAddresses) =>
            {
                options.GlobalLimiter = CallbackRateLimiter.Create(limits.Value, guard, clientAddresses);
                options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                options.OnRejected = CallbackRateLimiter.OnRejectedAsync;
            });

        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>()
            .Configure<IOptions<CallbackLimitsOptions>>((options, limits) => options.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = limits.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            });

        // The body cap is the callback reader's (Callback:MaxBodyBytes, answered 413 after at most that
        // many bytes), not Kestrel's: Kestrel would drop the connection before the 413 reached the sender.

        // The token is part of the path: traces keep the route template, never the value.
        services.Configure<AspNetCoreTraceInstrumentationOptions>(options => options.EnrichWithHttpRequest = (activity, request) =>
        {
            if (request.Path.StartsWithSegments(Apis.CallbackApi.CallbackPath, out var rest) && rest.HasValue && rest.Value != "/")
            {
                activity.SetTag("url.path", Apis.CallbackApi.CallbackPath + "/{token}");
            }
        });

        // ASP.NET Core's request log scope carries the raw path: with a token in it, the logs exported
        // over OTLP go without scopes (trace and span ids still link every record to its request).
        services.AddOptions<OpenTelemetryLoggerOptions>()
            .Configure<IOptions<CallbackSecurityOptions>>((logging, security) =>
            {
                if (security.Value.HasCallbackToken)
                {
                    logging.IncludeScopes = false;
                }
            });

        return services;
    }
}
