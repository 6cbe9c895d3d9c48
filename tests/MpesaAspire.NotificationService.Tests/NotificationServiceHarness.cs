using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MpesaAspire.NotificationService.Delivery;
using MpesaAspire.NotificationService.Grpc;
using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.Notifications.V1;
using MpesaAspire.TestSupport;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>
/// The notification service's real pieces (options, Telegram sender, pacing, admin queue, bot status,
/// health check and the gRPC service class) in a host started in-process against a fake Telegram.
/// Notifications go in as the outbox hands them out, and come back as the outcome the outbox records.
/// </summary>
internal sealed class NotificationServiceHarness : IAsyncDisposable
{
    /// <summary>A bot token of the real shape; its secret part must never show up in logs or traces.</summary>
    public const string BotToken = "7000000001:test-secret-token-for-hygiene";

    public const long AdminChatId = 5_550_001;

    private readonly IHost _host;

    private NotificationServiceHarness(IHost host)
    {
        _host = host;
        Service = host.Services.GetRequiredService<NotificationsGrpcService>();
        Logs = host.Services.GetFakeLogCollector();
    }

    public NotificationsGrpcService Service { get; }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>
    /// Starts the service against <paramref name="telegram"/> (null: no bot token, dry-run), with the
    /// admin chat <see cref="AdminChatId"/> unless <paramref name="settings"/> says otherwise.
    /// </summary>
    public static async Task<NotificationServiceHarness> StartAsync(
        FakeTelegramBotApi? telegram,
        IDictionary<string, string?>? settings = null,
        TimeProvider? timeProvider = null,
        Action<HostApplicationBuilder>? configure = null)
    {
        var builder = CreateBuilder(telegram, settings, timeProvider);
        configure?.Invoke(builder);
        var host = builder.Build();
        await host.StartAsync();
        return new NotificationServiceHarness(host);
    }

    public static HostApplicationBuilder CreateBuilder(
        FakeTelegramBotApi? telegram,
        IDictionary<string, string?>? settings = null,
        TimeProvider? timeProvider = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Telegram:AdminChatId"] = AdminChatId.ToString(CultureInfo.InvariantCulture),
        };
        if (telegram is not null)
        {
            configuration["Telegram:BotToken"] = BotToken;
            configuration["Telegram:ApiBaseUrl"] = telegram.BaseUrl.ToString();
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging();
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddTelegramNotifications();
        builder.Services.AddSingleton<DeliveryWakeUp>();
        builder.Services.AddSingleton<NotificationsGrpcService>();
        return builder;
    }

    /// <summary>Sends one notification the way the delivery loop does (without recording the send first).</summary>
    public Task<SendOutcome> SendAsync(PendingNotification notification, CancellationToken cancellationToken = default) =>
        SendAsync(notification, beforeSend: null, cancellationToken);

    public Task<SendOutcome> SendAsync(
        PendingNotification notification, Func<CancellationToken, Task<bool>>? beforeSend, CancellationToken cancellationToken = default)
    {
        Assert.True(PendingNotificationMapping.TryMap(notification, out var payment, out var problem), problem);
        return _host.Services.GetRequiredService<TelegramSender>().SendAsync(payment, beforeSend, cancellationToken);
    }

    public Task<GetBotStatusResponse> GetBotStatusAsync() =>
        Service.GetBotStatus(new GetBotStatusRequest(), new TestServerCallContext());

    public async Task<HealthReportEntry> CheckTelegramHealthAsync()
    {
        var report = await _host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries["telegram"];
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
