namespace MpesaAspire.TransactionService.Domain;

/// <summary>A callback body that was refused, kept for the operator.</summary>
public sealed record RejectedCallback
{
    /// <summary>The body exactly as sent.</summary>
    public required string RawPayload { get; init; }

    /// <summary>Why it was refused.</summary>
    public required string Reason { get; init; }

    /// <summary>Its CheckoutRequestID, or empty when it had none.</summary>
    public required string CheckoutRequestId { get; init; }

    /// <summary>When the gateway received it; now when not given.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }
}
