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
    [InlineData("CallbackLog:Path", " ")]
    [InlineData("Callback:MaxBodyBytes", "1048576")]
    [InlineData("Health:CacheDuration", "01:00:00")]
    [InlineData("CallbackSecurity:CallbackToken", "too-short")]
    [InlineData("CallbackSecurity:CallbackToken", "has/a/slash/in/the/token")]
    [InlineData("CallbackLimits:PermitLimitPerSource", "0")]
    [InlineData("CallbackLimits:ConcurrencyLimit", "0")]
    [InlineData("CallbackLimits:RequestTimeout", "00:00:01")]
    public void AMisconfiguredGatewayRefusesToStartAndNamesTheKey(string key, string value)
    {
        var failure = StartFailure(key, value);

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

    /// <summary>
    /// What starting the gateway with one bad setting throws. When the gateway refuses to start very
    /// quickly, WebApplicationFactory may ask the already disposed host for its lifetime and report
    /// an ObjectDisposedException instead of the refusal: that attempt is made again.
    /// </summary>
    private Exception? StartFailure(string key, string value)
    {
        Exception? failure = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var misconfigured = gateway.WithWebHostBuilder(builder => builder.UseSetting(key, value));
            failure = Record.Exception(() => misconfigured.CreateClient());
            if (failure is not ObjectDisposedException)
            {
                return failure;
            }
        }

        return failure;
    }
}
