using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MpesaAspire.TestSupport;

/// <summary>
/// The whole system as the benchmarks and the fault suite run it: the real AppHost, a throw-away
/// MariaDB in <c>dataDirectory</c>, a bot pointed at a local fake Bot API. A linked source file, as
/// eShop shares code between projects, rather than a project of its own for one method.
/// </summary>
internal static class BenchSystem
{
    private static readonly string[] Services = ["transaction-service", "notification-service", "callback-gateway"];

    /// <summary>Starts the system and returns once every service is healthy.</summary>
    public static async Task<DistributedApplication> StartAsync(
        string dataDirectory, Uri telegramApiUrl, long adminChatId, IEnumerable<string> moreSettings, CancellationToken cancellationToken)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MpesaAspire_AppHost>(
            [
                $"--MySql:DataDirectory={Path.Combine(dataDirectory, "mysql")}",
                "--MySql:Provider=local",
                "--Parameters:telegram-bot-token=123456:benchmark-token",
                $"--Parameters:telegram-admin-chat-id={adminChatId}",
                $"--Parameters:telegram-api-url={telegramApiUrl}",
                $"--CallbackGateway:SpoolPath={Path.Combine(dataDirectory, "gateway", "callback-spool.db")}",
                // The load comes from one address, 127.0.0.1: no per-source limit on it.
                "--CallbackLimits:PermitLimitPerSource=1000000",
                .. moreSettings,
            ],
            cancellationToken);
        // The services' own logs would drown the report; the dashboard is where to read them.
        builder.Services.AddLogging(logging => logging
            .AddFilter("MpesaAspire.AppHost.Resources", LogLevel.None)
            .AddFilter("System.Net.Http", LogLevel.Warning)
            .AddFilter("Aspire", LogLevel.Warning));
        var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        // The gateway does not wait for its peers: measure only once all of them are up.
        foreach (var service in Services)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, cancellationToken);
        }

        return app;
    }
}
