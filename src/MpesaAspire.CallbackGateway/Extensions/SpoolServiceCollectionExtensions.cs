using MpesaAspire.CallbackGateway.Spool;

namespace MpesaAspire.CallbackGateway.Extensions;

/// <summary>Registers the durable callback spool, its replayer and its pruner.</summary>
public static class SpoolServiceCollectionExtensions
{
    /// <summary>Adds the spool (section <c>Spool</c>), the replayer that records what it keeps, and retention.</summary>
    public static IServiceCollection AddCallbackSpool(this IServiceCollection services)
    {
        services.AddOptions<SpoolOptions>()
            .BindConfiguration(SpoolOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "Spool:Path must name a file, e.g. data/callback-spool.db.")
            .Validate(o => o.ReplayBackoff > TimeSpan.Zero && o.MaxReplayBackoff >= o.ReplayBackoff,
                "Spool:ReplayBackoff must be positive and Spool:MaxReplayBackoff not shorter.")
            .Validate(o => o.ReplayInterval > TimeSpan.Zero, "Spool:ReplayInterval must be positive.")
            .Validate(o => o.Retention >= TimeSpan.FromDays(1), "Spool:Retention must be at least one day (1.00:00:00).")
            .Validate(o => o.PruneInterval > TimeSpan.Zero, "Spool:PruneInterval must be positive.")
            .Validate(o => o.PruneBatchSize is >= 1 and <= 10_000, "Spool:PruneBatchSize must be between 1 and 10000.")
            .Validate(o => o.FailureMemory > TimeSpan.Zero, "Spool:FailureMemory must be positive.")
            .ValidateOnStart();

        services.AddOptions<OperatorOptions>()
            .BindConfiguration(OperatorOptions.SectionName)
            .Validate(o => o.Token is null || o.Token.Length >= 16, "Operator:Token must be at least 16 characters when set.")
            .ValidateOnStart();

        services.AddSingleton<CallbackSpool>();
        services.AddSingleton<SpoolReplayer>();
        services.AddHostedService(provider => provider.GetRequiredService<SpoolReplayer>());
        services.AddHostedService<SpoolPruner>();

        return services;
    }
}
