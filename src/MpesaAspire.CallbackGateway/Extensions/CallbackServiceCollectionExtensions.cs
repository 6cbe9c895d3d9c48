using MpesaAspire.CallbackGateway.Callbacks;
using MpesaAspire.CallbackGateway.Health;

namespace MpesaAspire.CallbackGateway.Extensions;

/// <summary>Registers what answers callbacks and health checks.</summary>
public static class CallbackServiceCollectionExtensions
{
    /// <summary>Adds the callback intake (section <c>Callback</c>) and the health probe (section <c>Health</c>).</summary>
    public static IServiceCollection AddCallbackIntake(this IServiceCollection services)
    {
        services.AddOptions<CallbackOptions>()
            .BindConfiguration(CallbackOptions.SectionName)
            .Validate(o => o.MaxBodyBytes is >= 1024 and <= 64 * 1024, "Callback:MaxBodyBytes must be between 1024 and 65536.")
            .Validate(o => o.RecordDeadline > TimeSpan.Zero, "Callback:RecordDeadline must be positive.")
            .ValidateOnStart();

        services.AddOptions<HealthOptions>()
            .BindConfiguration(HealthOptions.SectionName)
            .Validate(o => o.CheckDeadline > TimeSpan.Zero, "Health:CheckDeadline must be positive.")
            .Validate(o => o.CacheDuration >= TimeSpan.Zero && o.CacheDuration <= TimeSpan.FromMinutes(5),
                "Health:CacheDuration must be between 0 and 5 minutes.")
            .ValidateOnStart();

        // Transient like the gRPC clients they use, which the client factory hands out per use.
        services.AddTransient<StkCallbackIntake>();
        services.AddTransient<DependencyHealthProbe>();
        services.AddSingleton<HealthCache>();
        services.AddTransient<DeliveryNudge>();

        return services;
    }
}
