namespace MpesaAspire.TransactionService.Domain;

/// <summary>What one lease call handed out.</summary>
/// <param name="Token">The lease token; only its holder may mark or complete the notifications.</param>
/// <param name="Notifications">The notifications leased, oldest due first.</param>
/// <param name="BecameUncertain">Receipts found sending with their lease run out, now uncertain.</param>
public sealed record OutboxLease(
    string Token,
    IReadOnlyList<OutboxNotification> Notifications,
    IReadOnlyList<OutboxNotification> BecameUncertain);
