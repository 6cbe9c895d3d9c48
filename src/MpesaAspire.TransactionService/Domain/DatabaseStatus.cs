namespace MpesaAspire.TransactionService.Domain;

/// <param name="Connected">Whether MySQL answered a query.</param>
/// <param name="Detail">The server version when connected, <see cref="Unavailable"/> otherwise (never the error text).</param>
public sealed record DatabaseStatus(bool Connected, string Detail)
{
    /// <summary>The detail of a failed check: the error is logged, not handed to callers.</summary>
    public const string Unavailable = "unavailable";
}
