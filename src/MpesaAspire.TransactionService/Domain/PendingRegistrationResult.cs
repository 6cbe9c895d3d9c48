namespace MpesaAspire.TransactionService.Domain;

/// <param name="Transaction">The transaction after registration.</param>
/// <param name="Created">False when it already existed (registered before, or its callback came first).</param>
public sealed record PendingRegistrationResult(TransactionRecord Transaction, bool Created);
