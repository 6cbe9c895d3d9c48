namespace MpesaAspire.TransactionService.Daraja;

/// <summary>Why a push under an idempotency key was not (or not again) sent.</summary>
public sealed class StkPushException : Exception
{
    public StkPushException(StkPushRefusal refusal, string message)
        : base(message)
    {
        Refusal = refusal;
    }

    public StkPushException()
    {
    }

    public StkPushException(string message)
        : base(message)
    {
    }

    public StkPushException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StkPushRefusal Refusal { get; }
}
