namespace MpesaAspire.TransactionService.Domain;

/// <summary>An STK Push a caller has just started.</summary>
public sealed record PendingRegistration
{
    public required string CheckoutRequestId { get; init; }

    /// <summary>Empty when unknown.</summary>
    public required string MerchantRequestId { get; init; }

    /// <summary>Canonical 254XXXXXXXXX.</summary>
    public required string PhoneNumber { get; init; }

    public required decimal Amount { get; init; }

    public string? AccountReference { get; init; }

    public long? TelegramChatId { get; init; }
}
