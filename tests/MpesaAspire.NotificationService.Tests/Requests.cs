using MpesaAspire.Transactions.V1;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>
/// Notifications as the outbox hands them out (transaction.proto's <c>PendingNotification</c>),
/// carrying the product document's example values unless told otherwise.
/// </summary>
internal static class Requests
{
    private static long _nextNotificationId = 1000;

    public static long NextId() => Interlocked.Increment(ref _nextNotificationId);

    public static PendingNotification AdminSuccess(
        string checkoutRequestId = "ws_CO_191220191020363925",
        string amount = "1000",
        long? notificationId = null) => new()
    {
        NotificationId = notificationId ?? NextId(),
        Kind = NotificationKind.AdminSuccess,
        CheckoutRequestId = checkoutRequestId,
        Amount = amount,
        PhoneNumber = "254708374149",
        MpesaReceiptNumber = "NLJ7RT61SV",
        Date = "2024-01-15 10:30:15",
        LeaseToken = "test-lease",
    };

    public static PendingNotification AdminFailure(
        string reason = "User cancelled the transaction",
        string checkoutRequestId = "ws_CO_191220191020363925",
        long? notificationId = null) => new()
    {
        NotificationId = notificationId ?? NextId(),
        Kind = NotificationKind.AdminFailure,
        CheckoutRequestId = checkoutRequestId,
        PhoneNumber = "254708374149",
        Reason = reason,
        Date = "2024-01-15 10:30:15",
        LeaseToken = "test-lease",
    };

    public static PendingNotification UserReceipt(
        long chatId,
        string amount = "1000",
        string checkoutRequestId = "ws_CO_191220191020363925",
        long? notificationId = null) => new()
    {
        NotificationId = notificationId ?? NextId(),
        Kind = NotificationKind.UserReceipt,
        ChatId = chatId,
        CheckoutRequestId = checkoutRequestId,
        Amount = amount,
        PhoneNumber = "254708374149",
        MpesaReceiptNumber = "NLJ7RT61SV",
        Date = "2024-01-15 10:30:15",
        LeaseToken = "test-lease",
    };
}
