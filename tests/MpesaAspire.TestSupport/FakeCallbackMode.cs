namespace MpesaAspire.TestSupport;

/// <summary>Whether the fake Daraja posts the result callback of a push.</summary>
public enum FakeCallbackMode
{
    /// <summary>Once, when the payment completes.</summary>
    Send,

    /// <summary>Never: only STK Push Query can tell the result ("the callback never came").</summary>
    Never,

    /// <summary>Twice, the same body, as Safaricom sometimes does.</summary>
    Twice,
}
