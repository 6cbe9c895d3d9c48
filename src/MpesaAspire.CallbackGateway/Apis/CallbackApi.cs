using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using MpesaAspire.CallbackGateway.Apis.Schemas;
using MpesaAspire.CallbackGateway.Callbacks;
using MpesaAspire.CallbackGateway.Extensions;

namespace MpesaAspire.CallbackGateway.Apis;

/// <summary>
/// <c>POST /mpesa/callback</c> (<c>/mpesa/callback/{token}</c> when a callback token is configured):
/// where Safaricom delivers STK Push results.
/// </summary>
public static class CallbackApi
{
    public const string CallbackPath = "/mpesa/callback";

    /// <summary>The <c>ResultCode</c> of a 503 answer: anything but 0 tells Safaricom the callback was not taken.</summary>
    public const int NotRecordedResultCode = 1;

    public static IEndpointRouteBuilder MapCallbackApi(this IEndpointRouteBuilder app)
    {
        app.MapProtectedCallback(CallbackPath, ReceiveStkCallbackAsync)
            .WithName("ReceiveStkCallback")
            .WithTags("M-Pesa")
            .WithSummary("Handles M-Pesa STK Push payment callbacks")
            .WithDescription(
                "Parses the callback tolerantly, whatever its Content-Type (a leading UTF-8 byte-order mark is ignored), "
                + "records it durably in the transaction service, and only then answers ResultCode 0 (also for a duplicate "
                + "or a conflicting repeat: it is kept in the inbox). When the transaction service cannot record it within "
                + "Callback:RecordDeadline, the gateway keeps it in its own fsync'd spool, answers ResultCode 0 all the same, "
                + "and records it as soon as it can. Notifications are sent in the background. 400: not an STK Push callback "
                + "(problem details name the field; a refused JSON body is kept raw for the operator, never recorded as a "
                + "payment); 413: body over the size limit; 503: the callback could be neither recorded nor kept (ResultCode "
                + "is non-zero: resend it). With a callback token configured the URL is /mpesa/callback/{token}: a missing or "
                + "wrong token is 404. 403: not an allowed source (CallbackSecurity:Mode enforce); 429: too many callbacks "
                + "from one source or in flight.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .AddOpenApiOperationTransformer(DescribeRequestBodyAsync);

        return app;
    }

    /// <summary>Receives one STK Push result, records it and acknowledges it.</summary>
    public static async Task<Results<Ok<CallbackAcknowledgement>, ProblemHttpResult>> ReceiveStkCallbackAsync(
        HttpContext context,
        StkCallbackIntake intake,
        DeliveryNudge deliveryNudge,
        CancellationToken cancellationToken)
    {
        var result = await intake.ReceiveAsync(context.Request, cancellationToken);

        switch (result.Outcome)
        {
            case CallbackIntakeOutcome.Recorded:
                HandOffAfterResponse(context, deliveryNudge, result);
                return TypedResults.Ok(new CallbackAcknowledgement(0, "Callback received successfully", result.CheckoutRequestId!));

            case CallbackIntakeOutcome.Kept:
                // Durable on the gateway's disk: Safaricom must not tell it apart from a recorded one.
                return TypedResults.Ok(new CallbackAcknowledgement(0, "Callback received successfully", result.CheckoutRequestId!));

            case CallbackIntakeOutcome.Rejected:
                var rejection = result.Rejection!;
                return TypedResults.Problem(
                    detail: rejection.Detail,
                    statusCode: rejection.StatusCode,
                    title: rejection.StatusCode switch
                    {
                        StatusCodes.Status413PayloadTooLarge => "Callback too large",
                        _ => "Invalid STK Push callback",
                    },
                    extensions: new Dictionary<string, object?> { ["reason"] = rejection.Code });

            default:
                return TypedResults.Problem(
                    detail: result.Failure,
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Callback not recorded",
                    extensions: new Dictionary<string, object?>
                    {
                        ["ResultCode"] = NotRecordedResultCode,
                        ["ResultDesc"] = "Callback not recorded, please retry",
                        ["CheckoutRequestID"] = result.CheckoutRequestId,
                    });
        }
    }

    /// <summary>
    /// Once the answer is on its way, tells the notification service which notifications recording
    /// queued, so it delivers them at once. Never waits: Telegram is never on the response path.
    /// </summary>
    private static void HandOffAfterResponse(HttpContext context, DeliveryNudge deliveryNudge, CallbackIntakeResult result)
    {
        if (result.QueuedNotifications.Count == 0)
        {
            return;
        }

        long[] ids = [.. result.QueuedNotifications.Select(n => n.NotificationId)];
        context.Response.OnCompleted(() =>
        {
            deliveryNudge.Send(ids);
            return Task.CompletedTask;
        });
    }

    private static async Task DescribeRequestBodyAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(StkCallbackRequest), null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The callback exactly as Safaricom sends it (JSON, at most Callback:MaxBodyBytes bytes; sent as "
                + "application/json, but any or no Content-Type is accepted).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = schema },
                ["text/plain"] = new() { Schema = schema },
            },
        };
    }
}
