using Google.Protobuf.WellKnownTypes;
using MpesaAspire.TransactionService.Domain;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.TransactionService.Grpc;

/// <summary>Turns domain results into gRPC messages.</summary>
public static class GrpcResponses
{
    public static RecordStkCallbackResponse ToResponse(CallbackRecording recording) => new()
    {
        Outcome = recording.Outcome switch
        {
            CallbackOutcome.Applied => RecordOutcome.Applied,
            CallbackOutcome.Duplicate => RecordOutcome.Duplicate,
            CallbackOutcome.Held => RecordOutcome.Held,
            _ => RecordOutcome.Conflict,
        },
        Transaction = ToMessage(recording.Transaction),
        QueuedNotifications = { recording.QueuedNotifications.Select(ToMessage) },
    };

    public static Transaction ToMessage(TransactionRecord record)
    {
        var message = new Transaction
        {
            Id = record.Id,
            CheckoutRequestId = record.CheckoutRequestId,
            MerchantRequestId = record.MerchantRequestId,
            Status = ToMessage(record.Status),
            ResultCode = record.ResultCode ?? "",
            ResultDesc = record.ResultDesc ?? "",
            Amount = Amounts.Format(record.Amount),
            MpesaReceiptNumber = record.MpesaReceiptNumber ?? "",
            PhoneNumber = record.PhoneNumber ?? "",
            TransactionDate = record.TransactionDate is { } date ? KenyanTime.Format(date) : "",
            AccountReference = record.AccountReference ?? "",
            CreatedAt = ToTimestamp(record.CreatedAt),
            UpdatedAt = ToTimestamp(record.UpdatedAt),
            VerificationReason = record.VerificationReason ?? "",
            AmountMismatch = record.AmountMismatch,
        };
        if (record.TelegramChatId is { } chat)
        {
            message.TelegramChatId = chat;
        }

        return message;
    }

    /// <summary>A leased notification: carries the lease token its holder must show.</summary>
    public static PendingNotification ToLeasedMessage(OutboxNotification notification, string leaseToken)
    {
        var message = ToMessage(notification);
        message.LeaseToken = leaseToken;
        return message;
    }

    public static PendingNotification ToMessage(OutboxNotification notification)
    {
        var message = new PendingNotification
        {
            NotificationId = notification.Id,
            Kind = notification.Kind switch
            {
                OutboxKind.AdminSuccess => NotificationKind.AdminSuccess,
                OutboxKind.AdminFailure => NotificationKind.AdminFailure,
                OutboxKind.AdminUnverified => NotificationKind.AdminUnverified,
                OutboxKind.AdminConflict => NotificationKind.AdminConflict,
                _ => NotificationKind.UserReceipt,
            },
            CheckoutRequestId = notification.CheckoutRequestId,
            Amount = Amounts.Format(notification.Amount),
            PhoneNumber = notification.PhoneNumber ?? "",
            MpesaReceiptNumber = notification.MpesaReceiptNumber ?? "",
            Reason = notification.Reason ?? "",
            Date = notification.Date,
            Attempts = notification.Attempts,
            QueuedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(notification.QueuedAt, DateTimeKind.Utc)),
            Status = notification.Status switch
            {
                OutboxStatus.Pending => NotificationStatus.Pending,
                OutboxStatus.Sending => NotificationStatus.Sending,
                OutboxStatus.Delivered => NotificationStatus.Delivered,
                OutboxStatus.Failed => NotificationStatus.Failed,
                OutboxStatus.Uncertain => NotificationStatus.Uncertain,
                OutboxStatus.DryRun => NotificationStatus.DryRun,
                OutboxStatus.DeadLetter => NotificationStatus.DeadLetter,
                _ => NotificationStatus.Unspecified,
            },
            LastError = notification.LastError ?? "",
            TraceParent = notification.TraceParent ?? "",
            Detail = notification.Detail ?? "",
            RequestedAmount = Amounts.Format(notification.RequestedAmount),
            AmountMismatch = notification.AmountMismatch,
        };
        if (notification.ChatId is { } chat)
        {
            message.ChatId = chat;
        }

        return message;
    }

    public static TransactionStatus ToMessage(PaymentStatus status) => status switch
    {
        PaymentStatus.Pending => TransactionStatus.Pending,
        PaymentStatus.Success => TransactionStatus.Success,
        PaymentStatus.Failed => TransactionStatus.Failed,
        PaymentStatus.Cancelled => TransactionStatus.Cancelled,
        PaymentStatus.NeedsReview => TransactionStatus.NeedsReview,
        PaymentStatus.Unverified => TransactionStatus.Unverified,
        _ => TransactionStatus.Unspecified,
    };

    private static Timestamp? ToTimestamp(DateTime? utc) =>
        utc is { } value ? Timestamp.FromDateTime(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
}
