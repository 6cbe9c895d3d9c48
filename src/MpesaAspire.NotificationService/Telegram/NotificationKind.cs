namespace MpesaAspire.NotificationService.Telegram;

/// <summary>Which of the product document's three messages a notification is.</summary>
internal enum NotificationKind
{
    /// <summary>"✅ Payment Successful", to the admin chat.</summary>
    AdminSuccess,

    /// <summary>"❌ Payment Failed", to the admin chat.</summary>
    AdminFailure,

    /// <summary>"🎉 Payment Receipt", to the payer.</summary>
    UserReceipt,
}
