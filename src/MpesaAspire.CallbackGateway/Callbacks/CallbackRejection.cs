namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>A refused callback request: why, and a message naming the problem for the sender.</summary>
public sealed record CallbackRejection(CallbackRejectionReason Reason, string Detail)
{
    /// <summary>The HTTP status the refusal is answered with: 415, 413 or 400.</summary>
    public int StatusCode => Reason switch
    {
        CallbackRejectionReason.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        CallbackRejectionReason.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>The reason as a snake_case code, for metrics and the problem's <c>reason</c> member.</summary>
    public string Code => Reason switch
    {
        CallbackRejectionReason.UnsupportedMediaType => "unsupported_media_type",
        CallbackRejectionReason.PayloadTooLarge => "payload_too_large",
        CallbackRejectionReason.UnreadableBody => "unreadable_body",
        CallbackRejectionReason.InvalidEncoding => "invalid_encoding",
        CallbackRejectionReason.EmptyBody => "empty_body",
        CallbackRejectionReason.MalformedJson => "malformed_json",
        CallbackRejectionReason.NotAnObject => "not_an_object",
        CallbackRejectionReason.MissingBody => "missing_body",
        CallbackRejectionReason.MissingStkCallback => "missing_stk_callback",
        CallbackRejectionReason.MissingCheckoutRequestId => "missing_checkout_request_id",
        CallbackRejectionReason.InvalidCheckoutRequestId => "invalid_checkout_request_id",
        CallbackRejectionReason.MissingResultCode => "missing_result_code",
        CallbackRejectionReason.InvalidResultCode => "invalid_result_code",
        CallbackRejectionReason.RefusedByTransactionService => "refused_by_transaction_service",
        _ => "other",
    };
}
