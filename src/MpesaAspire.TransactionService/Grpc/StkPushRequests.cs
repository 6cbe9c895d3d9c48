using Grpc.Core;
using MpesaAspire.TransactionService.Daraja;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.TransactionService.Grpc;

/// <summary>
/// Checks an <c>InitiateStkPush</c> request against Daraja's own rules before Daraja is called, so a
/// caller learns which field is wrong from us (INVALID_ARGUMENT naming it), not from a 400.002.02.
/// </summary>
public static class StkPushRequests
{
    public const int MinAmount = 1;
    public const int MaxAmount = 250_000;
    public const int AccountReferenceLength = 12;
    public const int DescriptionLength = 13;
    public const int IdempotencyKeyLength = 128;

    public static StkPushOrder ToOrder(InitiateStkPushRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.PhoneNumber))
        {
            throw Invalid($"phone_number is required ({PhoneNumbers.Formats}).");
        }

        var phone = PhoneNumbers.Normalize(request.PhoneNumber)
            ?? throw Invalid($"phone_number '{request.PhoneNumber}' is not a Kenyan mobile number ({PhoneNumbers.Formats}).");
        if (request.Amount is < MinAmount or > MaxAmount)
        {
            throw Invalid($"amount {request.Amount} is out of range: whole shillings from {MinAmount} to {MaxAmount:N0}.");
        }

        var reference = Text(request.AccountReference, AccountReferenceLength, "account_reference");
        var description = Text(request.Description, DescriptionLength, "description");
        if (request.HasTelegramChatId && request.TelegramChatId == 0)
        {
            throw Invalid("telegram_chat_id must not be 0: leave it unset when the payment was not started from Telegram.");
        }

        var key = request.IdempotencyKey.Trim();
        if (key.Length == 0)
        {
            throw Invalid("idempotency_key is required: a value unique to this payment (an order id, a UUID), reused only to repeat this same request.");
        }

        if (key.Length > IdempotencyKeyLength)
        {
            throw Invalid($"idempotency_key is longer than {IdempotencyKeyLength} characters.");
        }

        return new StkPushOrder
        {
            PhoneNumber = phone,
            Amount = (int)request.Amount,
            AccountReference = reference,
            Description = description,
            TelegramChatId = request.HasTelegramChatId ? request.TelegramChatId : null,
            IdempotencyKey = key,
        };
    }

    private static string Text(string value, int maxLength, string field)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            throw Invalid($"{field} is required (1 to {maxLength} characters).");
        }

        return trimmed.Length > maxLength
            ? throw Invalid($"{field} '{trimmed}' is longer than {maxLength} characters, Daraja's limit.")
            : trimmed;
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
