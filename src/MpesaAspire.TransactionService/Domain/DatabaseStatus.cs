namespace MpesaAspire.TransactionService.Domain;

/// <param name="Connected">Whether MySQL answered a query.</param>
/// <param name="Detail">The server version when connected, the error otherwise.</param>
public sealed record DatabaseStatus(bool Connected, string Detail);
