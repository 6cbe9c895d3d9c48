namespace MpesaAspire.TransactionService.Domain;

/// <summary>The result of recording one callback.</summary>
/// <param name="Outcome">What the callback did.</param>
/// <param name="Transaction">The transaction as it stands after recording.</param>
/// <param name="QueuedNotifications">Notifications queued by this call (not leased: the notification service leases them).</param>
public sealed record CallbackRecording(
    CallbackOutcome Outcome,
    TransactionRecord Transaction,
    IReadOnlyList<OutboxNotification> QueuedNotifications);
