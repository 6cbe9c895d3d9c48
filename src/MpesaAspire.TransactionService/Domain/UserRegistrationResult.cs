namespace MpesaAspire.TransactionService.Domain;

public sealed record UserRegistrationResult(long UserId, bool Created);
