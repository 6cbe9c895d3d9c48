using Microsoft.Extensions.Options;

namespace MpesaAspire.CallbackGateway.Tests;

public sealed class ConfigurationTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Theory]
    [InlineData("Services:TransactionService", "transaction-service")]
    [InlineData("Services:NotificationService", "/relative/path")]
    [InlineData("Callback:MaxBodyBytes", "10")]
    [InlineData("Callback:RecordDeadline", "00:00:00")]
    [InlineData("Health:CheckDeadline", "-00:00:01")]
    [InlineData("Notifications:LeaseSeconds", "1")]
    [InlineData("Notifications:MaxInFlight", "0")]
    [InlineData("Notifications:SendDeadline", "00:05:00")]
    [InlineData("CallbackLog:Path", " ")]
    public void AMisconfiguredGatewayRefusesToStartAndNamesTheKey(string key, string value)
    {
        Exception? failure = null;

        // WebApplicationFactory can lose a race with a host that fails fast: it then reports the
        // disposed service provider instead of the host's own failure. That says nothing about the
        // gateway, so the start is tried again.
        for (var attempt = 0; attempt < 5 && failure is null or ObjectDisposedException; attempt++)
        {
            using var misconfigured = gateway.WithWebHostBuilder(builder => builder.UseSetting(key, value));
            failure = Record.Exception(() => misconfigured.CreateClient());
        }

        // The host reports every invalid section at once, wrapped when there is more than one.
        var validation = failure switch
        {
            OptionsValidationException single => [single],
            AggregateException many => many.Flatten().InnerExceptions.OfType<OptionsValidationException>().ToList(),
            _ => [],
        };
        Assert.True(validation.Count > 0, $"Expected an options validation failure, got: {failure}");
        Assert.Contains(validation, v => v.Message.Contains(key, StringComparison.Ordinal));
    }
}
