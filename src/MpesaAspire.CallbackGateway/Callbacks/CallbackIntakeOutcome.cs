namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>How a callback request ended.</summary>
public enum CallbackIntakeOutcome
{
    /// <summary>Durably recorded in the transaction service (applied, duplicate or conflict): answer 200.</summary>
    Recorded,

    /// <summary>
    /// Not recorded in time, but kept durably in the gateway's spool for replay: answer 200, as
    /// the callback will not be lost.
    /// </summary>
    Kept,

    /// <summary>Not a callback the gateway can accept; nothing was written: answer 4xx.</summary>
    Rejected,

    /// <summary>A valid callback that could be neither recorded nor kept: answer 503 so it is not reported as received.</summary>
    NotRecorded,
}
