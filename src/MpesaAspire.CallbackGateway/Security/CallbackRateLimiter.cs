using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace MpesaAspire.CallbackGateway.Security;

/// <summary>
/// The limits of the callback endpoints, as one global limiter: first a fixed window per client
/// address (never for allow-listed Safaricom sources), then one concurrency limit with a queue for
/// every source together, so a burst waits instead of exhausting the database pool. Other
/// endpoints are not limited here (the health answer is cached, the docs are static).
/// </summary>
public static partial class CallbackRateLimiter
{
    private const string Unlimited = "unlimited";

    public static PartitionedRateLimiter<HttpContext> Create(
        CallbackLimitsOptions limits, CallbackGuard guard, ClientAddressResolver clientAddresses)
    {
        var perSource = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (!IsCallback(context))
            {
                return RateLimitPartition.GetNoLimiter(Unlimited);
            }

            var client = clientAddresses.Resolve(context);
            if (guard.IsAllowedSource(client))
            {
                return RateLimitPartition.GetNoLimiter(Unlimited);
            }

            return RateLimitPartition.GetFixedWindowLimiter(client?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.PermitLimitPerSource,
                Window = limits.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });

        var concurrency = PartitionedRateLimiter.Create<HttpContext, string>(context => IsCallback(context)
            ? RateLimitPartition.GetConcurrencyLimiter("callbacks", _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = limits.ConcurrencyLimit,
                QueueLimit = limits.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })
            : RateLimitPartition.GetNoLimiter(Unlimited));

        return PartitionedRateLimiter.CreateChained(perSource, concurrency);
    }

    /// <summary>Answers a refused request 429 with a Retry-After when the limiter knows one, and logs it.</summary>
    public static ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken _)
    {
        var http = context.HttpContext;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var client = http.RequestServices.GetRequiredService<ClientAddressResolver>().Resolve(http);
        LogRejected(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CallbackRateLimiter).FullName!), client?.ToString() ?? "unknown");
        return ValueTask.CompletedTask;
    }

    private static bool IsCallback(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<CallbackEndpointMetadata>() is not null;

    [LoggerMessage(EventId = 6303, Level = LogLevel.Warning, Message = "Too many callbacks: refused one from {Client} (429)")]
    private static partial void LogRejected(ILogger logger, string client);
}
