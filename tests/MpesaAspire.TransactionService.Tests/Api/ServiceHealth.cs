using System.Net;

namespace MpesaAspire.TransactionService.Tests.Api;

internal static class ServiceHealth
{
    /// <summary>Polls <c>/health</c> until it answers 200 (the start-up migrations have completed).</summary>
    public static async Task WaitUntilHealthyAsync(HttpClient client, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var response = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellation.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellation.Token);
        }
    }
}
