namespace MpesaAspire.CallbackGateway;

/// <summary>Limits of <c>POST /mpesa/callback</c> (section <c>Callback</c>).</summary>
public sealed class CallbackOptions
{
    public const string SectionName = "Callback";

    /// <summary>
    /// The largest body accepted, in bytes (1 KiB to 64 KiB); larger bodies are answered 413 before
    /// they are read in full. Real callbacks are under 2 KiB.
    /// </summary>
    public int MaxBodyBytes { get; set; } = 8 * 1024;

    /// <summary>
    /// How long recording a callback in the transaction service may take before the gateway keeps it
    /// in its spool instead (and answers 503 only if that fails too). Safaricom does not say how long
    /// it waits, so this stays well under its 8 s C2B timeout.
    /// </summary>
    public TimeSpan RecordDeadline { get; set; } = TimeSpan.FromSeconds(2);
}
