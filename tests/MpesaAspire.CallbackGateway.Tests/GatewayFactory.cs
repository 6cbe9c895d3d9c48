using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.CallbackGateway.Tests;

/// <summary>
/// The gateway in-process, with its notification service pointed at a local port nobody listens on
/// and its transaction service answered by an in-process fake (down unless a test says otherwise):
/// exactly what the 4xx answers must not need and what the spool is about. Its clock is fixed, its
/// log and its spool go to a temp folder.
/// </summary>
public class GatewayFactory : WebApplicationFactory<Program>
{
    /// <summary>The operator token the factory configures, for <c>/operator/...</c>.</summary>
    public const string OperatorToken = "test-operator-token-0123456789";

    private readonly string _logDirectory = Directory.CreateTempSubdirectory("mpesa-gateway-").FullName;

    public GatewayFactory()
        : this(spoolPath: null)
    {
    }

    /// <summary>A gateway whose spool is the given file: two in turn on one file are a restart.</summary>
    internal GatewayFactory(string? spoolPath)
    {
        DeadPeer = new Uri($"http://127.0.0.1:{UnusedPort()}");
        SpoolPath = spoolPath ?? Path.Combine(_logDirectory, "spool.db");
    }

    /// <summary>The transaction service the gateway talks to.</summary>
    public InProcessTransactionService Transactions { get; } = new();

    /// <summary>The gateway's spool file.</summary>
    public string SpoolPath { get; }

    /// <summary>Where the "services" are: a closed port on this machine.</summary>
    public Uri DeadPeer { get; }

    /// <summary>The clock, set to now (gRPC deadlines are real-time) and then frozen.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(DateTime.UtcNow.Ticks - DateTime.UtcNow.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero));

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
        builder.UseSetting("Spool:Path", SpoolPath);
        builder.UseSetting("Operator:Token", OperatorToken);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton(new TransactionsClient(Transactions));
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

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
