namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>A refused callback request: why, and a message naming the problem for the sender.</summary>
public sealed record CallbackRejection(CallbackRejectionReason Reason, string Detail)
{
    /// <summary>The HTTP status the refusal is answered with: 413 or 400.</summary>
    public int StatusCode => Reason switch
    {
        CallbackRejectionReason.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>
    /// Whether the body was JSON that could be read, but was refused: such a payload is kept raw
    /// for the operator. Unreadable bytes, non-JSON and oversized bodies are not.
    /// </summary>
    public bool IsReadableJson => Reason is CallbackRejectionReason.NotAnObject
        or CallbackRejectionReason.MissingBody
        or CallbackRejectionReason.MissingStkCallback
        or CallbackRejectionReason.MissingCheckoutRequestId
        or CallbackRejectionReason.InvalidCheckoutRequestId
        or CallbackRejectionReason.MissingResultCode
        or CallbackRejectionReason.InvalidResultCode
        or CallbackRejectionReason.RefusedByTransactionService;

    /// <summary>The reason as a snake_case code, for metrics and the problem's <c>reason</c> member.</summary>
    public string Code => Reason switch
    {
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
