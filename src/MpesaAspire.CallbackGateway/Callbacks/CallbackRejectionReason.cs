namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>Why a request to <c>POST /mpesa/callback</c> was refused (not recorded; readable JSON is kept for the operator).</summary>
public enum CallbackRejectionReason
{
    /// <summary>The body is larger than <c>Callback:MaxBodyBytes</c> (413).</summary>
    PayloadTooLarge,

    /// <summary>The body could not be read as sent (400).</summary>
    UnreadableBody,

    /// <summary>The body is not UTF-8 (400).</summary>
    InvalidEncoding,

    /// <summary>The body is empty (400).</summary>
    EmptyBody,

    /// <summary>The body is not JSON (400).</summary>
    MalformedJson,

    /// <summary>The JSON is not an object (400).</summary>
    NotAnObject,

    /// <summary>There is no <c>Body</c> object: not an STK Push callback (400).</summary>
    MissingBody,

    /// <summary>There is no <c>Body.stkCallback</c> object (400).</summary>
    MissingStkCallback,

    /// <summary><c>Body.stkCallback.CheckoutRequestID</c> is missing or empty (400).</summary>
    MissingCheckoutRequestId,

    /// <summary><c>Body.stkCallback.CheckoutRequestID</c> is neither a string nor a number (400).</summary>
    InvalidCheckoutRequestId,

    /// <summary><c>Body.stkCallback.ResultCode</c> is missing or empty (400).</summary>
    MissingResultCode,

    /// <summary><c>Body.stkCallback.ResultCode</c> is neither a number nor a string (400).</summary>
    InvalidResultCode,

    /// <summary>The transaction service refused the callback as invalid (400).</summary>
    RefusedByTransactionService,
}
