using System.Diagnostics;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.CallbackGateway.Notifications;

/// <summary>A leased notification waiting for delivery, with the trace it continues.</summary>
/// <param name="Notification">The outbox entry, leased to the gateway.</param>
/// <param name="Origin">The span that handed it over (the callback request or a relay pass); default for none.</param>
public sealed record NotificationHandOff(PendingNotification Notification, ActivityContext Origin);
