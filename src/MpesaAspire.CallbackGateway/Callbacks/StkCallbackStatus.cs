namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>The product's status of a completed STK Push, derived from its ResultCode only.</summary>
public enum StkCallbackStatus
{
    /// <summary>ResultCode 0.</summary>
    Success,

    /// <summary>Every code other than 0 and 1032.</summary>
    Failed,

    /// <summary>ResultCode 1032: the payer cancelled.</summary>
    Cancelled,
}
