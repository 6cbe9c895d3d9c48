using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>Unhealthy until the start-up migrations have completed: nothing may use the tables before.</summary>
public sealed class MigrationHealthCheck(MigrationState state) : IHealthCheck
{
    public const string Name = "database-migrations";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            state.IsCompleted ? HealthCheckResult.Healthy($"Database schema is at version {SchemaMigrations.LatestVersion}.")
            : state.Failure is { } failure ? HealthCheckResult.Unhealthy("Database migrations failed.", failure)
            : HealthCheckResult.Unhealthy(state.WaitingReason ?? "Database migrations are running."));
}
