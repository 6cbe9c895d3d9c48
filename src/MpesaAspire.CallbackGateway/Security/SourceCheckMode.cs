namespace MpesaAspire.CallbackGateway.Security;

/// <summary>How the callback source allow-list is applied.</summary>
public enum SourceCheckMode
{
    /// <summary>Not checked.</summary>
    Off,

    /// <summary>A callback from elsewhere is logged as a warning and accepted.</summary>
    Log,

    /// <summary>A callback from elsewhere is answered 403 and nothing is recorded.</summary>
    Enforce,
}
