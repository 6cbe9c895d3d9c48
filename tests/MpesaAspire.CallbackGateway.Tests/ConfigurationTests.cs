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
    public void AMisconfiguredGatewayRefusesToStartAndNamesTheKey(string key, string value)
    {
        using var misconfigured = gateway.WithWebHostBuilder(builder => builder.UseSetting(key, value));

        var failure = Record.Exception(() => misconfigured.CreateClient());

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
