using Grpc.Core;
using MpesaAspire.TransactionService.Domain;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.TransactionService.Grpc;

/// <summary>
/// Turns gRPC requests into domain inputs, rejecting what the database could not hold faithfully with
/// INVALID_ARGUMENT and a message that names the field.
/// </summary>
public static class GrpcRequests
{
    private const int IdLength = 100;
    private const int RejectionReasonLength = 500;
    private const int ResultCodeLength = 64;
    private const int ReceiptLength = 50;
    private const int AccountReferenceLength = 64;
    private const int NameLength = 100;
    private const int MaxLeaseLimit = 100;
    private const int DefaultLeaseLimit = 20;
    private const int MaxLeaseSeconds = 3600;
    private const int DefaultLeaseSeconds = 60;

    public static StkCallback ToCallback(RecordStkCallbackRequest request)
    {
        var checkoutRequestId = RequiredId(request.CheckoutRequestId, "checkout_request_id");
        if (string.IsNullOrWhiteSpace(request.RawPayload))
        {
            throw Invalid("raw_payload is required: the callback body exactly as Safaricom sent it.");
        }

        var resultCode = request.ResultCode.Trim();
        if (resultCode.Length == 0)
        {
            throw Invalid("result_code is required: the callback's ResultCode as sent (\"0\", \"1032\", \"SFC_IC0003\").");
        }

        MaxLength(resultCode, ResultCodeLength, "result_code");
        MaxLength(request.MerchantRequestId, IdLength, "merchant_request_id");

        decimal? amount = null;
        if (request.HasAmount && !string.IsNullOrWhiteSpace(request.Amount))
        {
            amount = ParseAmount(request.Amount);
        }

        var receipt = request.HasMpesaReceiptNumber && !string.IsNullOrWhiteSpace(request.MpesaReceiptNumber)
            ? request.MpesaReceiptNumber.Trim()
            : null;
        MaxLength(receipt, ReceiptLength, "mpesa_receipt_number");

        // An unreadable date is stored as NULL rather than refusing the payment; the raw payload keeps it.
        var dateText = request.HasTransactionDate ? request.TransactionDate : null;
        DateTime? transactionDate = KenyanTime.TryParseMpesaTimestamp(dateText, out var parsed) ? parsed : null;

        return new StkCallback
        {
            CheckoutRequestId = checkoutRequestId,
            MerchantRequestId = request.MerchantRequestId.Trim(),
            RawPayload = request.RawPayload,
            ResultCode = resultCode,
            ResultDesc = request.HasResultDesc ? request.ResultDesc : null,
            Amount = amount,
            MpesaReceiptNumber = receipt,
            TransactionDateText = dateText,
            TransactionDate = transactionDate,
            PhoneNumber = request.HasPhoneNumber && !string.IsNullOrWhiteSpace(request.PhoneNumber) ? request.PhoneNumber.Trim() : null,
            ReceivedAt = request.ReceivedAt?.ToDateTimeOffset(),
        };
    }

    public static PendingRegistration ToRegistration(RegisterPendingTransactionRequest request)
    {
        var checkoutRequestId = RequiredId(request.CheckoutRequestId, "checkout_request_id");
        MaxLength(request.MerchantRequestId, IdLength, "merchant_request_id");
        var phone = RequiredPhone(request.PhoneNumber, "phone_number");
        if (string.IsNullOrWhiteSpace(request.Amount))
        {
            throw Invalid("amount is required: the amount requested, as a decimal string (\"1000.00\").");
        }

        var amount = ParseAmount(request.Amount);
        var accountReference = string.IsNullOrWhiteSpace(request.AccountReference) ? null : request.AccountReference.Trim();
        MaxLength(accountReference, AccountReferenceLength, "account_reference");
        if (request.HasTelegramChatId && request.TelegramChatId == 0)
        {
            throw Invalid("telegram_chat_id must not be 0: leave it unset when the payment was not started from Telegram.");
        }

        return new PendingRegistration
        {
            CheckoutRequestId = checkoutRequestId,
            MerchantRequestId = request.MerchantRequestId.Trim(),
            PhoneNumber = phone,
            Amount = amount,
            AccountReference = accountReference,
            TelegramChatId = request.HasTelegramChatId ? request.TelegramChatId : null,
        };
    }

    public static string ToCheckoutRequestId(GetTransactionRequest request) => RequiredId(request.CheckoutRequestId, "checkout_request_id");

    public static string ToCheckoutRequestId(ConfirmPaymentRequest request) => RequiredId(request.CheckoutRequestId, "checkout_request_id");

    public static TransactionQuery ToQuery(ListTransactionsRequest request)
    {
        var pageSize = request.PageSize switch
        {
            0 => TransactionQuery.DefaultPageSize,
            >= 1 and <= TransactionQuery.MaxPageSize => request.PageSize,
            _ => throw Invalid($"page_size {request.PageSize} is out of range: 1..{TransactionQuery.MaxPageSize}, or 0 for {TransactionQuery.DefaultPageSize}."),
        };

        TransactionCursor? after = null;
        if (request.PageToken.Length > 0 && !TransactionCursor.TryDecode(request.PageToken, out after))
        {
            throw Invalid("page_token is not one this service issued: pass next_page_token from a previous response, or leave it empty.");
        }

        var from = request.CreatedFrom?.ToDateTime();
        var to = request.CreatedTo?.ToDateTime();
        if (from is not null && to is not null && from >= to)
        {
            throw Invalid("created_from must be earlier than created_to.");
        }

        return new TransactionQuery
        {
            PhoneNumber = string.IsNullOrWhiteSpace(request.PhoneNumber) ? null : request.PhoneNumber.Trim(),
            Status = request.Status == TransactionStatus.Unspecified ? null : ToPaymentStatus(request.Status),
            CreatedFrom = from,
            CreatedTo = to,
            PageSize = pageSize,
            After = after,
        };
    }

    public static UserRegistration ToUser(RegisterUserRequest request)
    {
        if (request.TelegramChatId == 0)
        {
            throw Invalid("telegram_chat_id is required.");
        }

        string? phone = null;
        if (!string.IsNullOrWhiteSpace(request.PhoneNumber))
        {
            phone = RequiredPhone(request.PhoneNumber, "phone_number");
        }

        return new UserRegistration
        {
            TelegramChatId = request.TelegramChatId,
            PhoneNumber = phone,
            TelegramUsername = OptionalName(request.TelegramUsername, "telegram_username"),
            FirstName = OptionalName(request.FirstName, "first_name"),
            LastName = OptionalName(request.LastName, "last_name"),
            IsActive = !request.HasIsActive || request.IsActive,
        };
    }

    public static (int Limit, TimeSpan Lease) ToLease(LeasePendingNotificationsRequest request)
    {
        var limit = request.Limit switch
        {
            0 => DefaultLeaseLimit,
            >= 1 and <= MaxLeaseLimit => request.Limit,
            _ => throw Invalid($"limit {request.Limit} is out of range: 1..{MaxLeaseLimit}, or 0 for {DefaultLeaseLimit}."),
        };
        var seconds = request.LeaseSeconds switch
        {
            0 => DefaultLeaseSeconds,
            >= 1 and <= MaxLeaseSeconds => request.LeaseSeconds,
            _ => throw Invalid($"lease_seconds {request.LeaseSeconds} is out of range: 1..{MaxLeaseSeconds}, or 0 for {DefaultLeaseSeconds}."),
        };
        return (limit, TimeSpan.FromSeconds(seconds));
    }

    public static DeliveryReport ToReport(CompleteNotificationRequest request)
    {
        if (request.NotificationId <= 0)
        {
            throw Invalid("notification_id is required.");
        }

        var outcome = request.Result switch
        {
            DeliveryResult.Delivered => DeliveryOutcome.Delivered,
            DeliveryResult.FailedPermanently => DeliveryOutcome.FailedPermanently,
            DeliveryResult.Retry => DeliveryOutcome.Retry,
            DeliveryResult.Uncertain => DeliveryOutcome.Uncertain,
            DeliveryResult.DryRun => DeliveryOutcome.DryRun,
            DeliveryResult.Waiting => DeliveryOutcome.Waiting,
            _ => throw Invalid("result is required: DELIVERED, FAILED_PERMANENTLY, RETRY, UNCERTAIN, DRY_RUN or WAITING."),
        };
        if (request.RetryAfterSeconds < 0)
        {
            throw Invalid("retry_after_seconds must not be negative.");
        }

        if (request.HasMigratedToChatId && request.MigratedToChatId == 0)
        {
            throw Invalid("migrated_to_chat_id must not be 0: leave it unset when the chat did not move.");
        }

        return new DeliveryReport
        {
            NotificationId = request.NotificationId,
            Outcome = outcome,
            LeaseToken = RequiredLeaseToken(request.LeaseToken),
            RetryAfter = TimeSpan.FromSeconds(request.RetryAfterSeconds),
            Detail = string.IsNullOrWhiteSpace(request.Detail) ? null : request.Detail,
            TelegramMessageId = request.TelegramMessageId == 0 ? null : request.TelegramMessageId,
            MigratedToChatId = request.HasMigratedToChatId ? request.MigratedToChatId : null,
        };
    }

    public static (long Id, string LeaseToken, TimeSpan Lease) ToSending(MarkNotificationSendingRequest request)
    {
        if (request.NotificationId <= 0)
        {
            throw Invalid("notification_id is required.");
        }

        if (request.LeaseSeconds is < 1 or > MaxLeaseSeconds)
        {
            throw Invalid($"lease_seconds {request.LeaseSeconds} is out of range: 1..{MaxLeaseSeconds}.");
        }

        return (request.NotificationId, RequiredLeaseToken(request.LeaseToken), TimeSpan.FromSeconds(request.LeaseSeconds));
    }

    public static (string Name, string Holder, TimeSpan Lease) ToSenderLease(AcquireSenderLeaseRequest request)
    {
        if (request.LeaseSeconds is < 1 or > 300)
        {
            throw Invalid($"lease_seconds {request.LeaseSeconds} is out of range: 1..300.");
        }

        return (SenderLeaseName(request.Name, "name"), SenderLeaseName(request.Holder, "holder"), TimeSpan.FromSeconds(request.LeaseSeconds));
    }

    public static (string Name, string Holder) ToSenderRelease(ReleaseSenderLeaseRequest request) =>
        (SenderLeaseName(request.Name, "name"), SenderLeaseName(request.Holder, "holder"));

    private static string SenderLeaseName(string value, string field) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 64 && value.All(char.IsAscii)
            ? value
            : throw Invalid($"{field} is required: 1..64 ASCII characters.");

    public static long ToNotificationId(long notificationId) =>
        notificationId > 0 ? notificationId : throw Invalid("notification_id is required.");

    public static (OutboxStatus Status, int Limit) ToListing(ListNotificationsRequest request)
    {
        var status = request.Status switch
        {
            NotificationStatus.Pending => OutboxStatus.Pending,
            NotificationStatus.Sending => OutboxStatus.Sending,
            NotificationStatus.Delivered => OutboxStatus.Delivered,
            NotificationStatus.Failed => OutboxStatus.Failed,
            NotificationStatus.Uncertain => OutboxStatus.Uncertain,
            NotificationStatus.DryRun => OutboxStatus.DryRun,
            NotificationStatus.DeadLetter => OutboxStatus.DeadLetter,
            _ => throw Invalid("status is required (e.g. NOTIFICATION_STATUS_UNCERTAIN or NOTIFICATION_STATUS_DEAD_LETTER)."),
        };
        var limit = request.Limit switch
        {
            0 => 50,
            >= 1 and <= 200 => request.Limit,
            _ => throw Invalid($"limit {request.Limit} is out of range: 1..200, or 0 for 50."),
        };
        return (status, limit);
    }

    private static string RequiredLeaseToken(string token) =>
        string.IsNullOrWhiteSpace(token)
            ? throw Invalid("lease_token is required: the token LeasePendingNotifications answered with.")
            : token.Trim();

    private static PaymentStatus ToPaymentStatus(TransactionStatus status) => status switch
    {
        TransactionStatus.Pending => PaymentStatus.Pending,
        TransactionStatus.Success => PaymentStatus.Success,
        TransactionStatus.Failed => PaymentStatus.Failed,
        TransactionStatus.Cancelled => PaymentStatus.Cancelled,
        TransactionStatus.NeedsReview => PaymentStatus.NeedsReview,
        TransactionStatus.Unverified => PaymentStatus.Unverified,
        _ => throw Invalid($"status {(int)status} is not a known transaction status."),
    };

    private static string RequiredId(string value, string field)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            throw Invalid($"{field} is required.");
        }

        MaxLength(trimmed, IdLength, field);
        return trimmed;
    }

    private static string RequiredPhone(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Invalid($"{field} is required ({PhoneNumbers.Formats}).");
        }

        // The number itself goes into the message: the caller sent it and needs to see what was wrong.
        return PhoneNumbers.Normalize(value)
            ?? throw Invalid($"{field} '{value}' is not a Kenyan mobile number ({PhoneNumbers.Formats}).");
    }

    private static decimal ParseAmount(string text) =>
        Amounts.TryParse(text, out var amount, out var error) ? amount : throw Invalid($"amount '{text}' {error}.");

    private static string? OptionalName(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        MaxLength(trimmed, NameLength, field);
        return trimmed;
    }

    private static void MaxLength(string? value, int length, string field)
    {
        if (value is not null && value.Length > length)
        {
            throw Invalid($"{field} is longer than {length} characters.");
        }
    }

    public static RejectedCallback ToRejectedCallback(KeepRejectedCallbackRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.RawPayload))
        {
            throw Invalid("raw_payload is required: the refused body exactly as it was sent.");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw Invalid("reason is required: why the body was refused.");
        }

        var checkoutRequestId = request.CheckoutRequestId.Trim();
        return new RejectedCallback
        {
            RawPayload = request.RawPayload,
            Reason = request.Reason.Length <= RejectionReasonLength ? request.Reason : request.Reason[..RejectionReasonLength],
            // Too long to be a real id: keep the body, not the id.
            CheckoutRequestId = checkoutRequestId.Length <= IdLength ? checkoutRequestId : "",
            ReceivedAt = request.ReceivedAt?.ToDateTimeOffset(),
        };
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
