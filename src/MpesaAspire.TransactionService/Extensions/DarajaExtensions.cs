using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Daraja;
using MpesaAspire.TransactionService.Reconciliation;

namespace MpesaAspire.TransactionService.Extensions;

/// <summary>
/// Registers the Daraja client, STK pushes and the reconciliation of pending payments. The Daraja
/// HTTP client has timeouts but no resilience handler on purpose: a push must never be retried
/// blindly, and queries are retried by the reconciliation schedule.
/// </summary>
public static class DarajaExtensions
{
    public static IHostApplicationBuilder AddDaraja(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DarajaOptions>().BindConfiguration(DarajaOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DarajaOptions>, DarajaOptionsValidator>();
        services.AddOptions<ReconciliationOptions>()
            .BindConfiguration(ReconciliationOptions.SectionName)
            .Validate(o => o.FirstQueryAfter >= TimeSpan.Zero, $"{ReconciliationOptions.SectionName}:FirstQueryAfter must not be negative.")
            .Validate(o => o.FirstGap > TimeSpan.Zero, $"{ReconciliationOptions.SectionName}:FirstGap must be positive.")
            .Validate(o => o.MaxGap >= o.FirstGap, $"{ReconciliationOptions.SectionName}:MaxGap must not be shorter than FirstGap.")
            .Validate(o => o.GiveUpAfter > o.FirstQueryAfter, $"{ReconciliationOptions.SectionName}:GiveUpAfter must be longer than FirstQueryAfter.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, $"{ReconciliationOptions.SectionName}:PollInterval must be positive.")
            .Validate(o => o.QueriesPerSecond > 0, $"{ReconciliationOptions.SectionName}:QueriesPerSecond must be positive.")
            .Validate(o => o.QueryBurst >= 1, $"{ReconciliationOptions.SectionName}:QueryBurst must be at least 1.")
            .Validate(o => o.BatchSize is >= 1 and <= 500, $"{ReconciliationOptions.SectionName}:BatchSize must be between 1 and 500.")
            .ValidateOnStart();

        services.AddSingleton<DarajaTokenStore>();
        services.AddSingleton<DarajaTokenProvider>();
        services.AddHttpClient<DarajaClient>((sp, http) =>
            http.Timeout = sp.GetRequiredService<IOptions<DarajaOptions>>().Value.RequestTimeout);
        services.AddTransient<StkPushService>();

        services.AddSingleton<ReconciliationQueue>();
        services.AddSingleton<PaymentReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<PaymentReconciler>());
        return builder;
    }
}
