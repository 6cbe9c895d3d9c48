using MpesaAspire.CallbackGateway.Security;

namespace MpesaAspire.CallbackGateway;

/// <summary>Who may deliver callbacks (section <c>CallbackSecurity</c>).</summary>
public sealed class CallbackSecurityOptions
{
    public const string SectionName = "CallbackSecurity";

    /// <summary>The shortest callback token accepted: anything shorter is guessable.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>
    /// Safaricom's published callback source addresses (<c>spec/daraja-facts.md</c>), used when
    /// <see cref="AllowedSources"/> is empty. The list changes: configure it when Safaricom says so.
    /// </summary>
    public static readonly IReadOnlyList<string> SafaricomSources =
    [
        "196.201.214.200", "196.201.214.206", "196.201.214.207", "196.201.214.208",
        "196.201.213.114", "196.201.213.44",
        "196.201.212.127", "196.201.212.138", "196.201.212.129", "196.201.212.136", "196.201.212.74", "196.201.212.69",
    ];

    /// <summary>
    /// The secret path segment of the callback URL (<c>/mpesa/callback/{token}</c>). Empty: the
    /// callback is served at <c>/mpesa/callback</c>. The AppHost passes its <c>callback-token</c> parameter.
    /// </summary>
    public string? CallbackToken { get; set; }

    /// <summary>What happens to a callback from outside <see cref="AllowedSources"/>: <c>off</c>, <c>log</c> (default) or <c>enforce</c> (403).</summary>
    public SourceCheckMode Mode { get; set; } = SourceCheckMode.Log;

    /// <summary>Addresses or CIDR ranges callbacks may come from; empty means <see cref="SafaricomSources"/>.</summary>
    public List<string> AllowedSources { get; set; } = [];

    /// <summary>
    /// Reverse proxies (addresses or CIDR ranges) whose <c>X-Forwarded-For</c> is believed. Empty:
    /// the client is always the direct peer.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public bool HasCallbackToken => !string.IsNullOrEmpty(CallbackToken);

    public IEnumerable<string> EffectiveAllowedSources => AllowedSources.Count > 0 ? AllowedSources : SafaricomSources;
}
