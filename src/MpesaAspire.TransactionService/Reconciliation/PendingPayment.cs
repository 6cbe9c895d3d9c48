namespace MpesaAspire.TransactionService.Reconciliation;

/// <summary>A pending payment claimed for a query.</summary>
public sealed class PendingPayment
{
    public long Id { get; set; }

    public string CheckoutRequestId { get; set; } = "";

    /// <summary>UTC; NULL only in rows of the original server that never set it.</summary>
    public DateTime? CreatedAt { get; set; }

    /// <summary>Queries made so far, this one included once claimed.</summary>
    public int QueryCount { get; set; }

    /// <summary>Pending (or NULL in old rows), or Unverified while its held success is still queried.</summary>
    public string? Status { get; set; }

    /// <summary>UTC: when a success callback was held for this query to confirm; null when none is held.</summary>
    public DateTime? HeldAt { get; set; }

    public bool IsUnverified => Status == "Unverified";
}
