using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MpesaAspire.CallbackGateway.Tests;

/// <summary>
/// The gateway in-process, with its peers pointed at a local port nobody listens on: the
/// transaction and notification services are down, which is exactly what the 4xx answers must not
/// need and what the 503 answers are about. Its clock is fixed and its log goes to a temp folder.
/// Requests come from 127.0.0.1 (the test server knows no peer otherwise). A test may add
/// <see cref="Settings"/> and an in-memory <see cref="Transactions"/> service before first use.
/// </summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    private readonly string _logDirectory = Directory.CreateTempSubdirectory("mpesa-gateway-").FullName;

    public GatewayFactory()
    {
        DeadPeer = new Uri($"http://127.0.0.1:{UnusedPort()}");
    }

    /// <summary>Where the "services" are: a closed port on this machine.</summary>
    public Uri DeadPeer { get; }

    /// <summary>The internal credential the gateway sends on its gRPC calls.</summary>
    public const string InternalApiToken = "gateway-test-internal-token";

    /// <summary>The clock, set to now (gRPC deadlines are real-time) and then frozen.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(DateTime.UtcNow.Ticks - DateTime.UtcNow.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero));

    /// <summary>Settings applied after the defaults above, e.g. <c>CallbackSecurity:Mode</c>.</summary>
    public Dictionary<string, string?> Settings { get; init; } = [];

    /// <summary>When set, the gateway records into this in-memory transaction service instead of a dead peer.</summary>
    public FakeTransactionService? Transactions { get; init; }

    public string LogPath => Path.Combine(_logDirectory, "mpesa_callbacks.log");

    /// <summary>The log file as written so far (it stays open for appending while the gateway runs).</summary>
    public string ReadLog()
    {
        if (!File.Exists(LogPath))
        {
            return "";
        }

        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Services:TransactionService", DeadPeer.ToString());
        builder.UseSetting("Services:NotificationService", DeadPeer.ToString());
        builder.UseSetting("CallbackLog:Path", LogPath);
        builder.UseSetting("Callback:MaxBodyBytes", "4096");
        builder.UseSetting("InternalApi:Token", InternalApiToken);
        // Many callbacks come from one test address; the rate-limit tests set their own limit.
        builder.UseSetting("CallbackLimits:PermitLimitPerSource", "100000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter, LoopbackPeerStartupFilter>();
            if (Transactions is not null)
            {
                services.AddSingleton<MpesaAspire.Transactions.V1.Transactions.TransactionsClient>(Transactions);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_logDirectory))
        {
            Directory.Delete(_logDirectory, recursive: true);
        }
    }

    /// <summary>Gives every request the peer address a local client (or a local reverse proxy) would have.</summary>
    private sealed class LoopbackPeerStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
