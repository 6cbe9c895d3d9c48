using MpesaAspire.Notifications.V1;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>Notification requests carrying the product document's example values unless told otherwise.</summary>
internal static class Requests
{
    private static long _nextNotificationId = 1000;

    public static long NextId() => Interlocked.Increment(ref _nextNotificationId);

    public static SendPaymentNotificationRequest AdminSuccess(
        string checkoutRequestId = "ws_CO_191220191020363925",
        string amount = "1000",
        long? notificationId = null) => new()
    {
        NotificationId = notificationId ?? NextId(),
        Kind = MessageKind.AdminSuccess,
        CheckoutRequestId = checkoutRequestId,
        Amount = amount,
        PhoneNumber = "254708374149",
        MpesaReceiptNumber = "NLJ7RT61SV",
        Date = "2024-01-15 10:30:15",
    };

    public static SendPaymentNotificationRequest AdminFailure(
        string reason = "User cancelled the transaction",
        string checkoutRequestId = "ws_CO_191220191020363925",
        long? notificationId = null) => new()
    {
        NotificationId = notificationId ?? NextId(),
        Kind = MessageKind.AdminFailure,
        CheckoutRequestId = checkoutRequestId,
        PhoneNumber = "254708374149",
        Reason = reason,
        Date = "2024-01-15 10:30:15",
    };

    public static SendPaymentNotificationRequest UserReceipt(
        long chatId,
        string amount = "1000",
        string checkoutRequestId = "ws_CO_191220191020363925",
        long? notificationId = null) => new()
    {
        NotificationId = notificationId ?? NextId(),
        Kind = MessageKind.UserReceipt,
        ChatId = chatId,
        CheckoutRequestId = checkoutRequestId,
        Amount = amount,
        PhoneNumber = "254708374149",
        MpesaReceiptNumber = "NLJ7RT61SV",
        Date = "2024-01-15 10:30:15",
    };
}
