namespace MpesaAspire.TransactionService.Daraja;

/// <summary>An OAuth access token and when it stops working (UTC).</summary>
public sealed record DarajaToken(string AccessToken, DateTimeOffset ExpiresAt);
