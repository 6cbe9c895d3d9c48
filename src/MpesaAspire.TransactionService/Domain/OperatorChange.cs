namespace MpesaAspire.TransactionService.Domain;

/// <summary>The result of an operator's request to put a notification back in the queue.</summary>
public enum OperatorChangeResult
{
    /// <summary>The notification is pending again.</summary>
    Applied,

    /// <summary>It is not in a state the request applies to.</summary>
    WrongStatus,

    /// <summary>No notification has that id.</summary>
    NotFound,
}
