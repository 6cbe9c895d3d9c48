namespace MpesaAspire.TransactionService.Domain;

/// <summary>How one delivery attempt of a notification ended.</summary>
public enum DeliveryOutcome
{
    Delivered,
    FailedPermanently,
    Retry,
}
