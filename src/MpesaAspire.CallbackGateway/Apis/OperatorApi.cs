using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Spool;

namespace MpesaAspire.CallbackGateway.Apis;

/// <summary>
/// <c>POST /operator/spool/replay</c>: what the dashboard's "Replay kept callbacks" command calls.
/// Mapped only when <c>Operator:Token</c> is set, answered only with that token, and left out of
/// the API document: Safaricom and the internet have no business here.
/// </summary>
public static class OperatorApi
{
    public const string ReplayPath = "/operator/spool/replay";

    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var token = app.ServiceProvider.GetRequiredService<IOptions<OperatorOptions>>().Value.Token;
        if (string.IsNullOrEmpty(token))
        {
            return app;
        }

        var expected = Encoding.UTF8.GetBytes(token);
        app.MapGroup("/operator")
            .ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) =>
            {
                var sent = context.HttpContext.Request.Headers[OperatorOptions.TokenHeader].ToString();
                return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), expected)
                    ? await next(context)
                    : TypedResults.NotFound();
            })
            .MapPost("/spool/replay", ReplayKeptCallbacksAsync);

        return app;
    }

    /// <summary>Starts a replay pass at once and says what the spool holds.</summary>
    public static async Task<Ok<SpoolReplayAnswer>> ReplayKeptCallbacksAsync(
        SpoolReplayer replayer, CallbackSpool spool, CancellationToken cancellationToken)
    {
        var status = await spool.GetStatusAsync(cancellationToken);
        replayer.ReplayNow();
        return TypedResults.Ok(new SpoolReplayAnswer(status.Waiting, status.Rejected));
    }
}
