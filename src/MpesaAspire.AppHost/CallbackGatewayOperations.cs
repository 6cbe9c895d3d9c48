using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace MpesaAspire.AppHost;

/// <summary>
/// The callback gateway's spool setting and the operator's dashboard commands on it: "Replay kept
/// callbacks" and "Send a test callback".
/// </summary>
internal static class CallbackGatewayOperations
{
    public const string ReplayCommand = "replay-kept-callbacks";
    public const string TestCallbackCommand = "send-test-callback";
    public const string OperatorTokenParameter = "callback-gateway-operator-token";

    private const string OperatorTokenHeader = "X-Operator-Token";
    private const string ReplayPath = "/operator/spool/replay";
    private const string CallbackPath = "/mpesa/callback";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Passes <c>CallbackGateway:SpoolPath</c> on as the gateway's <c>Spool:Path</c> when set (else
    /// the gateway keeps its spool in its own <c>data/</c> folder), gives it a generated operator
    /// token, and adds the two commands.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCallbackSpool(this IResourceBuilder<ProjectResource> gateway)
    {
        var builder = gateway.ApplicationBuilder;
        var spoolPath = builder.Configuration["CallbackGateway:SpoolPath"];
        if (!string.IsNullOrWhiteSpace(spoolPath))
        {
            gateway.WithEnvironment("Spool__Path", Path.GetFullPath(spoolPath));
        }

        // A fresh secret per run, known only to the AppHost and the gateway: the operator endpoint
        // answers nobody else.
        var token = builder.AddParameter(
            OperatorTokenParameter,
            new GenerateParameterDefault { MinLength = 32, Special = false },
            secret: true,
            persist: false);
        gateway.WithEnvironment("Operator__Token", token);

        var endpoint = gateway.GetEndpoint("http");

        // With a callback token the callback is served at /mpesa/callback/{token} only.
        var callbackToken = builder.Configuration[$"Parameters:{CallbackSecuritySettings.CallbackTokenParameter}"];
        var callbackPath = string.IsNullOrWhiteSpace(callbackToken) ? CallbackPath : $"{CallbackPath}/{Uri.EscapeDataString(callbackToken)}";

        gateway.WithCommand(
            ReplayCommand,
            "Replay kept callbacks",
            context => ReplayAsync(endpoint, token.Resource, context.CancellationToken),
            new CommandOptions
            {
                Description = "Records the callbacks the gateway kept while the transaction service or MySQL was down, now.",
                ConfirmationMessage = "Record every callback kept in the gateway's spool now? Each is recorded once; repeats change nothing.",
                IconName = "ArrowSync",
                UpdateState = WhenRunning,
            });

        gateway.WithCommand(
            TestCallbackCommand,
            "Send a test callback",
            context => SendTestCallbackAsync(endpoint, callbackPath, context.Services.GetService<TimeProvider>() ?? TimeProvider.System, context.CancellationToken),
            new CommandOptions
            {
                Description = "Posts a realistic successful STK Push callback (KES 1) to the gateway's public endpoint (the tokenised one when a callback token is set).",
                ConfirmationMessage = "Post a successful test payment of KES 1 to the callback endpoint? It is recorded and notified like a real one.",
                IconName = "Send",
                UpdateState = WhenRunning,
            });

        return gateway;
    }

    private static ResourceCommandState WhenRunning(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task<ExecuteCommandResult> ReplayAsync(EndpointReference endpoint, ParameterResource token, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(endpoint.Url), ReplayPath));
            request.Headers.Add(OperatorTokenHeader, await token.GetValueAsync(cancellationToken));
            using var response = await Http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return CommandResults.Failure($"The gateway answered {(int)response.StatusCode}.");
            }

            var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var waiting = answer.GetProperty("waiting").GetInt64();
            var rejected = answer.GetProperty("rejected").GetInt64();
            return CommandResults.Success(string.Create(
                CultureInfo.InvariantCulture,
                $"Replaying {waiting} kept callbacks; {rejected} refused payloads stay kept for inspection."));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return CommandResults.Failure($"The gateway could not be asked to replay: {ex.Message}");
        }
    }

    private static async Task<ExecuteCommandResult> SendTestCallbackAsync(EndpointReference endpoint, string callbackPath, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var checkoutRequestId = $"ws_CO_{now:ddMMyyyyHHmmssfff}TEST{suffix}";
        var callback = new
        {
            Body = new
            {
                stkCallback = new
                {
                    MerchantRequestID = $"TEST-{suffix}",
                    CheckoutRequestID = checkoutRequestId,
                    ResultCode = 0,
                    ResultDesc = "The service request is processed successfully.",
                    CallbackMetadata = new
                    {
                        Item = new object[]
                        {
                            new { Name = "Amount", Value = 1.00m },
                            new { Name = "MpesaReceiptNumber", Value = $"TST{suffix[..7]}" },
                            new { Name = "Balance" },
                            // Daraja's TransactionDate is Kenyan local time (UTC+3).
                            new { Name = "TransactionDate", Value = long.Parse(now.ToOffset(TimeSpan.FromHours(3)).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) },
                            new { Name = "PhoneNumber", Value = 254708374149 },
                        },
                    },
                },
            },
        };

        try
        {
            using var response = await Http.PostAsJsonAsync(new Uri(new Uri(endpoint.Url), callbackPath), callback, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode
                ? CommandResults.Success($"Test callback {checkoutRequestId} answered: {body}")
                : CommandResults.Failure($"Test callback {checkoutRequestId} answered {(int)response.StatusCode}: {body}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return CommandResults.Failure($"Test callback {checkoutRequestId} could not be sent: {ex.Message}");
        }
    }
}
