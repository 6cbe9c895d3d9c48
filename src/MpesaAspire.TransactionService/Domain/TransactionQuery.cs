namespace MpesaAspire.TransactionService.Domain;

/// <summary>Filters and paging for the transaction history, newest first.</summary>
public sealed record TransactionQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>Any spelling of the phone; null for all phones.</summary>
    public string? PhoneNumber { get; init; }

    public PaymentStatus? Status { get; init; }

    /// <summary>Inclusive lower bound on created_at (UTC).</summary>
    public DateTime? CreatedFrom { get; init; }

    /// <summary>Exclusive upper bound on created_at (UTC).</summary>
    public DateTime? CreatedTo { get; init; }

    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>Where the previous page stopped; null for the first page.</summary>
    public TransactionCursor? After { get; init; }
}
