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
}
