namespace MpesaAspire.TransactionService;

/// <summary>
/// How the service reaches Safaricom's Daraja API, section <c>Daraja</c>. The consumer key, secret and
/// passkey are AppHost secret parameters; without them the service runs without Daraja (no pushes,
/// no queries) and its health says so.
/// </summary>
public sealed class DarajaOptions
{
    public const string SectionName = "Daraja";
    public const string SandboxEnvironment = "sandbox";
    public const string ProductionEnvironment = "production";
    public const string SandboxUrl = "https://sandbox.safaricom.co.ke";
    public const string ProductionUrl = "https://api.safaricom.co.ke";
    public const string SandboxShortCode = "174379";
    public const string PayBill = "CustomerPayBillOnline";
    public const string BuyGoods = "CustomerBuyGoodsOnline";

    /// <summary><c>sandbox</c> (default) or <c>production</c>: picks the base URL and the default shortcode.</summary>
    public string Environment { get; set; } = SandboxEnvironment;

    /// <summary>Overrides the environment's URL (a local fake in tests).</summary>
    public string? BaseUrl { get; set; }

    public string? ConsumerKey { get; set; }

    public string? ConsumerSecret { get; set; }

    public string? Passkey { get; set; }

    /// <summary>The paybill or store number; <c>174379</c> in the sandbox when unset.</summary>
    public string? ShortCode { get; set; }

    /// <summary><c>CustomerPayBillOnline</c> (default) or <c>CustomerBuyGoodsOnline</c>.</summary>
    public string TransactionType { get; set; } = PayBill;

    /// <summary>Who receives the money: the shortcode for a paybill, the till number for buy goods. Defaults to the shortcode.</summary>
    public string? PartyB { get; set; }

    /// <summary>The public URL Safaricom posts the result to (the gateway's <c>/mpesa/callback</c>).</summary>
    public string? CallbackUrl { get; set; }

    /// <summary>Deadline of one Daraja HTTP call.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long before its expiry a token is replaced.</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>True when credentials were given: pushes and queries are possible.</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(ConsumerKey) || !string.IsNullOrWhiteSpace(ConsumerSecret) || !string.IsNullOrWhiteSpace(Passkey);

    public bool IsProduction => string.Equals(Environment, ProductionEnvironment, StringComparison.OrdinalIgnoreCase);

    public Uri EffectiveBaseUrl => new(string.IsNullOrWhiteSpace(BaseUrl) ? (IsProduction ? ProductionUrl : SandboxUrl) : BaseUrl);

    public string EffectiveShortCode => string.IsNullOrWhiteSpace(ShortCode) ? (IsProduction ? "" : SandboxShortCode) : ShortCode.Trim();

    public string EffectivePartyB => string.IsNullOrWhiteSpace(PartyB) ? EffectiveShortCode : PartyB.Trim();

    /// <summary>What the health document shows: never a secret.</summary>
    public string Describe() => IsConfigured
        ? $"configured ({(IsProduction ? ProductionEnvironment : SandboxEnvironment)}, shortcode {EffectiveShortCode})"
        : "not configured";
}
