namespace MpesaAspire.TransactionService.Daraja;

/// <summary>A validated request to prompt a customer's phone for payment.</summary>
public sealed record StkPushOrder
{
    /// <summary>Canonical 254XXXXXXXXX.</summary>
    public required string PhoneNumber { get; init; }

    /// <summary>Whole shillings, 1..250,000.</summary>
    public required int Amount { get; init; }

    /// <summary>At most 12 characters.</summary>
    public required string AccountReference { get; init; }

    /// <summary>At most 13 characters.</summary>
    public required string Description { get; init; }

    public long? TelegramChatId { get; init; }

    public required string IdempotencyKey { get; init; }
}
