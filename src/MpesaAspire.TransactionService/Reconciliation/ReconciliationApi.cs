using Microsoft.AspNetCore.Http.HttpResults;

namespace MpesaAspire.TransactionService.Reconciliation;

/// <summary>
/// <c>POST /reconciliation/run</c> on the service's internal HTTP endpoint: the dashboard's
/// "Reconcile pending now". It only makes pending payments due for a query at once; it reveals nothing.
/// Like every gRPC call, it needs the internal credential (401 without it).
/// </summary>
public static class ReconciliationApi
{
    public const string RunPath = "/reconciliation/run";

    public static IEndpointRouteBuilder MapReconciliationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(RunPath, RunAsync).RequireInternalApiCredential();
        return app;
    }

    /// <summary>Makes every pending payment due now and wakes the reconciler.</summary>
    public static async Task<Results<Ok<ReconcileNowResponse>, ProblemHttpResult>> RunAsync(
        PaymentReconciler reconciler, Microsoft.Extensions.Options.IOptions<DarajaOptions> daraja, CancellationToken cancellationToken)
    {
        if (!daraja.Value.IsConfigured)
        {
            return TypedResults.Problem("Daraja is not configured: pending payments cannot be queried.", statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Ok(new ReconcileNowResponse(await reconciler.ReconcileNowAsync(cancellationToken)));
    }
}
