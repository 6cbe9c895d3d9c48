namespace MpesaAspire.TransactionService.Domain;

/// <summary>When a success callback is believed (<c>Payments:Verification</c>). Daraja signs nothing.</summary>
public enum PaymentVerification
{
    /// <summary>The seed's behaviour: a success callback counts as paid.</summary>
    None,

    /// <summary>
    /// A success counts only for a pending payment we registered (RegisterPendingTransaction or
    /// InitiateStkPush), with the requested amount, and the registered phone when there is one.
    /// </summary>
    Registered,

    /// <summary>Every success is confirmed with STK Push Query before it counts.</summary>
    Query,
}
