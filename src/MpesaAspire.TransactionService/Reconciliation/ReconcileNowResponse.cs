namespace MpesaAspire.TransactionService.Reconciliation;

/// <summary>How many pending payments "Reconcile pending now" made due for a query.</summary>
public sealed record ReconcileNowResponse(int Due);
