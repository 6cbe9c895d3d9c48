namespace MpesaAspire.TransactionService.Domain;

/// <summary>A Telegram user to register or update (by chat id). Null fields keep what is stored.</summary>
public sealed record UserRegistration
{
    public required long TelegramChatId { get; init; }

    /// <summary>Canonical 254XXXXXXXXX, or null to keep the stored one.</summary>
    public string? PhoneNumber { get; init; }

    public string? TelegramUsername { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public bool IsActive { get; init; } = true;
}
