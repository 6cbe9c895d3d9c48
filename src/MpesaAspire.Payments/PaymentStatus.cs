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

    /// <summary>
    /// A success callback that failed verification (see <c>verification_reason</c>): not paid, no receipt.
    /// A query that confirms it or an operator promotes it to Success; a genuine failure still applies.
    /// </summary>
    Unverified,
}
