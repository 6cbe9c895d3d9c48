namespace MpesaAspire.ServiceDefaults.InternalApi;

/// <summary>
/// The credential every gRPC call between MpesaAspire services carries (section <c>InternalApi</c>).
/// The AppHost hands the same secret to every service as <c>InternalApi__Token</c>.
/// </summary>
public sealed class InternalApiOptions
{
    public const string SectionName = "InternalApi";

    /// <summary>The shortest token accepted: anything shorter is guessable.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>The shared secret, sent as <c>authorization: Bearer &lt;token&gt;</c>.</summary>
    public string Token { get; set; } = string.Empty;
}
