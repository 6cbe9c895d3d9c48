namespace MpesaAspire.TransactionService.Domain;

/// <summary>What recording a callback did (stored verbatim in <c>stk_callback_inbox.outcome</c>).</summary>
public enum CallbackOutcome
{
    /// <summary>The result was applied to a pending transaction.</summary>
    Applied,

    /// <summary>The same result was already recorded: nothing changed.</summary>
    Duplicate,

    /// <summary>A different result for a transaction already final: kept in the inbox, not applied.</summary>
    Conflict,

    /// <summary>A success held until STK Push Query confirms it (<c>Payments:Verification</c> = query); the payment stays pending.</summary>
    Held,

    /// <summary>A held success that STK Push Query or a genuine failure contradicted: never applied.</summary>
    Refuted,
}
