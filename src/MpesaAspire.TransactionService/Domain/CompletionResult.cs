namespace MpesaAspire.TransactionService.Domain;

public enum CompletionResult
{
    /// <summary>The report was recorded.</summary>
    Applied,

    /// <summary>The notification was already settled: nothing changed.</summary>
    NotPending,

    /// <summary>No notification has that id.</summary>
    NotFound,

    /// <summary>The caller's lease token is not the current one: nothing changed.</summary>
    LeaseNotHeld,
}
