using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Diagnostics;

namespace MpesaAspire.TransactionService.Daraja;

/// <summary>
/// Safaricom's Daraja API over a typed <see cref="HttpClient"/>: OAuth, STK Push and STK Push Query.
/// Nothing here retries on its own except once after 404.001.03 (invalid token), which Daraja answers
/// before doing anything: a push retried blindly could prompt a customer twice, and a query is asked
/// again by the reconciliation schedule. Errors become <see cref="DarajaException"/> with Daraja's
/// code and message.
/// </summary>
public sealed class DarajaClient(
    HttpClient http,
    DarajaTokenProvider tokens,
    IOptions<DarajaOptions> options,
    TimeProvider timeProvider,
    ILogger<DarajaClient> logger)
{
    public const string TokenPath = "oauth/v1/generate?grant_type=client_credentials";
    public const string PushPath = "mpesa/stkpush/v1/processrequest";
    public const string QueryPath = "mpesa/stkpushquery/v1/query";

    /// <summary>Sends an STK Push. Throws <see cref="DarajaException"/> when Daraja refuses or does not answer.</summary>
    public async Task<StkPushAccepted> PushAsync(StkPushOrder order, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (body, json) = await PostAsync(PushPath, timestamp => new JsonObject
        {
            ["BusinessShortCode"] = settings.EffectiveShortCode,
            ["Password"] = DarajaTimestamp.Password(settings.EffectiveShortCode, settings.Passkey!, timestamp),
            ["Timestamp"] = timestamp,
            ["TransactionType"] = settings.TransactionType,
            ["Amount"] = order.Amount,
            ["PartyA"] = order.PhoneNumber,
            ["PartyB"] = settings.EffectivePartyB,
            ["PhoneNumber"] = order.PhoneNumber,
            ["CallBackURL"] = settings.CallbackUrl,
            ["AccountReference"] = order.AccountReference,
            ["TransactionDesc"] = order.Description,
        }, cancellationToken);

        var responseCode = Text(json, "ResponseCode");
        var checkoutRequestId = Text(json, "CheckoutRequestID");
        if (responseCode != "0" || string.IsNullOrEmpty(checkoutRequestId))
        {
            var description = Text(json, "ResponseDescription") ?? Text(json, "errorMessage") ?? body;
            throw new DarajaException(
                $"Daraja did not accept the push (ResponseCode {responseCode ?? "missing"}): {description}",
                HttpStatusCode.OK, responseCode, description, Text(json, "requestId"), answered: true);
        }

        return new StkPushAccepted(
            Text(json, "MerchantRequestID") ?? "", checkoutRequestId, Text(json, "CustomerMessage") ?? Text(json, "ResponseDescription") ?? "");
    }

    /// <summary>
    /// Asks for the result of a push. "Being processed" (500.001.1001) comes back as a still-pending
    /// answer; other errors throw <see cref="DarajaException"/>.
    /// </summary>
    public async Task<StkQueryAnswer> QueryAsync(string checkoutRequestId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        try
        {
            var (body, json) = await PostAsync(QueryPath, timestamp => new JsonObject
            {
                ["BusinessShortCode"] = settings.EffectiveShortCode,
                ["Password"] = DarajaTimestamp.Password(settings.EffectiveShortCode, settings.Passkey!, timestamp),
                ["Timestamp"] = timestamp,
                ["CheckoutRequestID"] = checkoutRequestId,
            }, cancellationToken);
            return new StkQueryAnswer(Text(json, "ResultCode"), Text(json, "ResultDesc"), Text(json, "MerchantRequestID") ?? "", body);
        }
        catch (DarajaException exception) when (exception.IsStillProcessing)
        {
            return new StkQueryAnswer(null, exception.ErrorMessage, "", "");
        }
    }

    private async Task<(string Body, JsonObject Json)> PostAsync(
        string path, Func<string, JsonObject> buildBody, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAccessTokenAsync(FetchTokenAsync, rejected: null, cancellationToken);
        try
        {
            return await SendAsync(path, buildBody(DarajaTimestamp.Now(timeProvider)), token, cancellationToken);
        }
        catch (DarajaException exception) when (exception.IsInvalidToken)
        {
            // Daraja refused the token before looking at the request: safe to send once more with a new one.
            TransactionServiceLog.DarajaTokenRejected(logger, path);
            token = await tokens.GetAccessTokenAsync(FetchTokenAsync, rejected: token, cancellationToken);
            return await SendAsync(path, buildBody(DarajaTimestamp.Now(timeProvider)), token, cancellationToken);
        }
    }

    private async Task<(string Body, JsonObject Json)> SendAsync(
        string path, JsonObject body, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.EffectiveBaseUrl, path))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await ExchangeAsync(request, path, cancellationToken);
    }

    private async Task<DarajaToken> FetchTokenAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.EffectiveBaseUrl, TokenPath));
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ConsumerKey}:{settings.ConsumerSecret}")));
        var fetchedAt = timeProvider.GetUtcNow();
        JsonObject json;
        try
        {
            (_, json) = await ExchangeAsync(request, "oauth", cancellationToken);
        }
        catch (DarajaException exception) when (exception.StatusCode is { } status && (int)status is >= 400 and < 500)
        {
            throw new DarajaException(
                $"Daraja refused the consumer key and secret (check the daraja-consumer-key and daraja-consumer-secret parameters): {exception.Message}",
                exception.StatusCode, exception.ErrorCode, exception.ErrorMessage, exception.RequestId, answered: true, exception)
            {
                RefusedCredentials = true,
            };
        }

        var accessToken = Text(json, "access_token");
        var expiresIn = Text(json, "expires_in");
        if (string.IsNullOrEmpty(accessToken)
            || !double.TryParse(expiresIn, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
        {
            throw new DarajaException(
                "Daraja's token answer had no access_token or expires_in.", HttpStatusCode.OK, null, null, null, answered: true);
        }

        return new DarajaToken(accessToken, fetchedAt + TimeSpan.FromSeconds(seconds));
    }

    /// <summary>Sends one request and reads a JSON object back; any error answer becomes a <see cref="DarajaException"/>.</summary>
    private async Task<(string Body, JsonObject Json)> ExchangeAsync(
        HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            TransactionServiceLog.DarajaUnreachable(logger, operation, exception.Message);
            throw new DarajaException(
                $"Daraja did not answer ({operation}): {exception.Message}", null, null, null, null, answered: false, exception);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var json = TryParseObject(body);
            if (response.IsSuccessStatusCode && json is not null)
            {
                return (body, json);
            }

            var errorCode = json is null ? null : Text(json, "errorCode");
            var errorMessage = json is null ? null : Text(json, "errorMessage") ?? Text(json, "resultDesc");
            var requestId = json is null ? null : Text(json, "requestId");
            var status = (int)response.StatusCode;
            // Daraja decided when it said why, or refused the request outright (4xx). A bare 5xx may come
            // from a proxy in front of it: the outcome of a push is then unknown.
            var answered = errorCode is not null || status is >= 400 and < 500;
            var message = errorCode is not null
                ? $"Daraja answered HTTP {status} with {errorCode}: {errorMessage}"
                : $"Daraja answered HTTP {status}{(string.IsNullOrWhiteSpace(errorMessage) ? "" : ": " + errorMessage)}";
            TransactionServiceLog.DarajaError(logger, operation, status, errorCode ?? "", errorMessage ?? "", requestId ?? "");
            throw new DarajaException(message, response.StatusCode, errorCode, errorMessage, requestId, answered);
        }
    }

    private static JsonObject? TryParseObject(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A field as text whether Daraja sent it as a string or a number ("0" and 0 alike).</summary>
    private static string? Text(JsonObject json, string name) =>
        json.TryGetPropertyValue(name, out var node) && node is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number => value.ToJsonString(),
                _ => null,
            }
            : null;
}
