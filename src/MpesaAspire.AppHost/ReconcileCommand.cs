using Microsoft.Extensions.DependencyInjection;

namespace MpesaAspire.AppHost;

/// <summary>
/// The dashboard's "Reconcile pending now" on the transaction service: every pending payment is
/// queried with STK Push Query at once instead of at its scheduled time.
/// </summary>
internal static class ReconcileCommand
{
    public const string Name = "reconcile-pending-now";

    public static IResourceBuilder<ProjectResource> WithReconcileCommand(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> internalApiToken)
    {
        var http = service.GetEndpoint("http");
        return service.WithCommand(
            Name,
            "Reconcile pending now",
            async context =>
            {
                using var client = context.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(http.Url), "/reconciliation/run"));
                    request.Headers.Authorization = new("Bearer", await internalApiToken.Resource.GetValueAsync(context.CancellationToken));
                    using var response = await client.SendAsync(request, context.CancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        return CommandResults.Failure(
                            $"The transaction service answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(context.CancellationToken)}");
                    }

                    return CommandResults.Success();
                }
                catch (HttpRequestException exception)
                {
                    return CommandResults.Failure($"The transaction service did not answer: {exception.Message}");
                }
            },
            new CommandOptions
            {
                Description = "Queries Daraja now for every payment still pending instead of waiting for its scheduled query.",
                ConfirmationMessage = "Query Daraja now for every pending payment?",
                IconName = "ArrowSync",
                UpdateState = context => context.ResourceSnapshot.HealthStatus is Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
    }
}
