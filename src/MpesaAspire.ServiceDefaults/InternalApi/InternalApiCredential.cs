using System.Security.Cryptography;
using System.Text;

namespace MpesaAspire.ServiceDefaults.InternalApi;

/// <summary>
/// The one rule for the internal credential: how it is written on a call and how it is checked.
/// The check compares hashes in constant time, so neither the content nor the length of the
/// expected token leaks through timing.
/// </summary>
public sealed class InternalApiCredential
{
    /// <summary>The gRPC metadata key (HTTP/2 header) that carries the credential.</summary>
    public const string HeaderName = "authorization";

    private const string Scheme = "Bearer ";

    private readonly byte[] _expectedHash;

    public InternalApiCredential(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        HeaderValue = Scheme + token;
        _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(HeaderValue));
    }

    /// <summary>The value of the <c>authorization</c> header a caller sends.</summary>
    public string HeaderValue { get; }

    /// <summary>Whether <paramref name="presented"/> is exactly the expected header value.</summary>
    public bool Matches(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(presentedHash, _expectedHash);
    }
}
