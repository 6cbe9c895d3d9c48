using System.Security.Cryptography;
using System.Text;

namespace MpesaAspire.CallbackGateway.Security;

/// <summary>
/// The secret segment of the callback URL, compared in constant time (hashes of equal length, so
/// neither the content nor the length of the token leaks through timing).
/// </summary>
public sealed class CallbackToken
{
    /// <summary>The route value that carries the presented token.</summary>
    public const string RouteValueName = "token";

    private readonly byte[]? _expectedHash;

    public CallbackToken(string? token)
    {
        _expectedHash = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    public bool IsRequired => _expectedHash is not null;

    public bool Matches(string? presented) =>
        _expectedHash is not null
        && !string.IsNullOrEmpty(presented)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expectedHash);

    /// <summary>Whether a configured token can sit in a URL path segment as it is.</summary>
    public static bool IsUrlSafe(string token) =>
        token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');
}
