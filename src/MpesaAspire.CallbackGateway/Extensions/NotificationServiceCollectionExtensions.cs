using MpesaAspire.CallbackGateway.Notifications;

namespace MpesaAspire.CallbackGateway.Extensions;

/// <summary>Registers the background delivery of notifications.</summary>
public static class NotificationServiceCollectionExtensions
{
    /// <summary>Adds the dispatcher and the relay that re-drives the outbox (section <c>Notifications</c>).</summary>
    public static IServiceCollection AddNotificationDelivery(this IServiceCollection services)
    {
        services.AddOptions<NotificationsOptions>()
            .BindConfiguration(NotificationsOptions.SectionName)
            .Validate(o => o.RelayInterval > TimeSpan.Zero, "Notifications:RelayInterval must be positive.")
            .Validate(o => o.LeaseSeconds is >= 5 and <= 3600, "Notifications:LeaseSeconds must be between 5 and 3600.")
            .Validate(o => o.RelayBatchSize is >= 1 and <= 100, "Notifications:RelayBatchSize must be between 1 and 100.")
            .Validate(o => o.MaxRelayBackoff >= o.RelayInterval, "Notifications:MaxRelayBackoff must not be shorter than Notifications:RelayInterval.")
            .Validate(o => o.MaxInFlight is >= 1 and <= 256, "Notifications:MaxInFlight must be between 1 and 256.")
            .Validate(o => o.QueueCapacity >= 1, "Notifications:QueueCapacity must be at least 1.")
            .Validate(o => o.SendDeadline > TimeSpan.Zero && o.CompleteDeadline > TimeSpan.Zero,
                "Notifications:SendDeadline and Notifications:CompleteDeadline must be positive.")
            .Validate(o => o.SendDeadline + o.CompleteDeadline < TimeSpan.FromSeconds(o.LeaseSeconds),
                "Notifications:SendDeadline plus Notifications:CompleteDeadline must be shorter than Notifications:LeaseSeconds, "
                + "or a notification could be re-driven while it is still being sent.")
            .Validate(o => o.RetryBackoff > TimeSpan.Zero && o.MaxRetryBackoff >= o.RetryBackoff,
                "Notifications:RetryBackoff must be positive and Notifications:MaxRetryBackoff not shorter.")
            .ValidateOnStart();

        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<NotificationDispatcher>());
        services.AddHostedService<NotificationRelay>();

        return services;
    }
}
