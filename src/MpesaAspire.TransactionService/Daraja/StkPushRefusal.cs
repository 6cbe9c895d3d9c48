namespace MpesaAspire.TransactionService.Daraja;

/// <summary>The reasons an idempotency key stops a push.</summary>
public enum StkPushRefusal
{
    /// <summary>The key was first used for a different payment (phone, amount, reference, description or chat).</summary>
    KeyUsedForAnotherPayment,

    /// <summary>An earlier push under the key got no answer from Daraja: it may have reached the phone.</summary>
    OutcomeUnknown,
}
