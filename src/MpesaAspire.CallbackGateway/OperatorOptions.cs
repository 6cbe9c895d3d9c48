namespace MpesaAspire.CallbackGateway;

/// <summary>
/// The operator's endpoints (section <c>Operator</c>), which the AppHost's dashboard commands call.
/// They are not part of the public surface: without a token they are not mapped at all.
/// </summary>
public sealed class OperatorOptions
{
    public const string SectionName = "Operator";

    /// <summary>The header that carries <see cref="Token"/>.</summary>
    public const string TokenHeader = "X-Operator-Token";

    /// <summary>
    /// The shared secret the AppHost generates and sends in <c>X-Operator-Token</c>. A secret: never
    /// logged; when absent the operator endpoints do not exist.
    /// </summary>
    public string? Token { get; set; }
}
