using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// The bot in <c>/health</c>, from the cached status: Healthy in dry-run and when connected,
/// Degraded when getMe failed (the service still accepts and defers notifications).
/// </summary>
internal sealed class TelegramHealthCheck(BotStatusMonitor monitor) : IHealthCheck
{
    public const string Name = "telegram";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = monitor.Current;
        var result = status switch
        {
            { DryRun: true } => HealthCheckResult.Healthy("dry-run: no bot token configured"),
            { Healthy: true } => HealthCheckResult.Healthy(status.Status),
            _ => HealthCheckResult.Degraded(status.Status),
        };

        return Task.FromResult(result);
    }
}
