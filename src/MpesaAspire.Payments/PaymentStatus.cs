namespace MpesaAspire.Payments;

/// <summary>The product document's <c>transactions.status</c> values (the names are stored verbatim).</summary>
public enum PaymentStatus
{
    Pending,
    Success,
    Failed,
    Cancelled,

    /// <summary>Still without a final result a day after it started (queries included): a person decides.</summary>
    NeedsReview,
}
