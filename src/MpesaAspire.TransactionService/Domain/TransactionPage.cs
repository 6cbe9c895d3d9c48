namespace MpesaAspire.TransactionService.Domain;

/// <param name="Transactions">This page, newest first.</param>
/// <param name="Next">Where the next page starts; null when there is none.</param>
public sealed record TransactionPage(IReadOnlyList<TransactionRecord> Transactions, TransactionCursor? Next);
