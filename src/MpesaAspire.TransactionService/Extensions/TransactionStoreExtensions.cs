using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Data;
using MpesaAspire.TransactionService.Data.Migrations;
using MpesaAspire.TransactionService.Diagnostics;
using MpesaAspire.TransactionService.Reconciliation;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Extensions;

/// <summary>Registers the MySQL transaction store: options, data source, migrations at start-up, repositories.</summary>
public static class TransactionStoreExtensions
{
    public static IHostApplicationBuilder AddTransactionStore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MpesaDbOptions>()
            .BindConfiguration(MpesaDbOptions.SectionName)
            .Validate(
                o => !string.IsNullOrWhiteSpace(o.ConnectionString),
                $"{MpesaDbOptions.ConnectionStringKey} is required: the MySQL connection string of the transaction database "
                + $"(the AppHost provides it through its reference to '{MpesaDbOptions.ConnectionName}').")
            .Validate(
                o => string.IsNullOrWhiteSpace(o.ConnectionString) || IsConnectionString(o.ConnectionString),
                $"{MpesaDbOptions.ConnectionStringKey} is not a valid MySQL connection string (Server=…;Port=…;User ID=…;Password=…;Database=…).")
            .ValidateOnStart();
        services.AddOptions<TransactionStoreOptions>()
            .BindConfiguration(TransactionStoreOptions.SectionName)
            .Validate(o => o.MigrationTimeout > TimeSpan.Zero, $"{TransactionStoreOptions.SectionName}:MigrationTimeout must be positive.")
            .Validate(o => o.NotificationMaxRetryAge > TimeSpan.Zero, $"{TransactionStoreOptions.SectionName}:NotificationMaxRetryAge must be positive.")
            .Validate(o => o.RetryBaseDelay > TimeSpan.Zero, $"{TransactionStoreOptions.SectionName}:RetryBaseDelay must be positive.")
            .Validate(o => o.MaxRetryDelay >= o.RetryBaseDelay, $"{TransactionStoreOptions.SectionName}:MaxRetryDelay must not be shorter than RetryBaseDelay.")
            .Validate(o => o.FreshNotificationAge > TimeSpan.Zero, $"{TransactionStoreOptions.SectionName}:FreshNotificationAge must be positive.")
            .Validate(o => o.MaxTransactionAttempts is >= 1 and <= 50, $"{TransactionStoreOptions.SectionName}:MaxTransactionAttempts must be between 1 and 50.")
            .ValidateOnStart();

        services.AddOptions<InboxRetentionOptions>()
            .BindConfiguration(InboxRetentionOptions.SectionName)
            .Validate(o => o.Retention >= TimeSpan.FromDays(1), $"{InboxRetentionOptions.SectionName}:Retention must be at least one day (1.00:00:00).")
            .Validate(o => o.PruneInterval > TimeSpan.Zero, $"{InboxRetentionOptions.SectionName}:PruneInterval must be positive.")
            .Validate(o => o.PruneBatchSize is >= 1 and <= 10_000, $"{InboxRetentionOptions.SectionName}:PruneBatchSize must be between 1 and 10000.")
            .Validate(o => o.MaxBodiesPerCheckout is >= 1 and <= 1_000, $"{InboxRetentionOptions.SectionName}:MaxBodiesPerCheckout must be between 1 and 1000.")
            .ValidateOnStart();

        // Payments:Verification: its default follows the Daraja settings (query when configured, else none).
        services.AddOptions<PaymentsOptions>().BindConfiguration(PaymentsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<PaymentsOptionsValidator>();
        services.AddSingleton<IPostConfigureOptions<PaymentsOptions>>(sp => sp.GetRequiredService<PaymentsOptionsValidator>());
        services.AddSingleton<IValidateOptions<PaymentsOptions>>(sp => sp.GetRequiredService<PaymentsOptionsValidator>());
        services.AddSingleton<ReconciliationWakeUp>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => TransactionDataSource.Create(
            sp.GetRequiredService<IOptions<MpesaDbOptions>>().Value.ConnectionString!,
            sp.GetRequiredService<ILoggerFactory>()));

        services.AddSingleton<MigrationState>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddHostedService<MigrationHostedService>();
        services.AddHealthChecks().AddCheck<MigrationHealthCheck>(MigrationHealthCheck.Name);

        services.AddSingleton<TransactionMetrics>();
        services.AddSingleton<TransactionRetry>();
        services.AddSingleton<StkCallbackRecorder>();
        services.AddSingleton<TransactionRepository>();
        services.AddSingleton<UserRepository>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<SenderLeases>();
        services.AddSingleton<DatabaseProbe>();
        services.AddSingleton<RejectedCallbackInbox>();
        services.AddSingleton<InboxPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<InboxPruner>());
        return builder;
    }

    private static bool IsConnectionString(string value)
    {
        try
        {
            _ = new MySqlConnectionStringBuilder(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
