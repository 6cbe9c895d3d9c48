namespace MpesaAspire.TransactionService.Domain;

public enum CompletionResult
{
    /// <summary>The report was recorded.</summary>
    Applied,

    /// <summary>The notification was already delivered or failed: nothing changed.</summary>
    NotPending,

    /// <summary>No notification has that id.</summary>
    NotFound,
}
