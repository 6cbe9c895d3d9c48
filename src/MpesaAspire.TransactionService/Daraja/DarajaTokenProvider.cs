using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Diagnostics;

namespace MpesaAspire.TransactionService.Daraja;

/// <summary>
/// One Daraja access token per credential set, shared by every caller of this instance (memory) and
/// every replica (<see cref="DarajaTokenStore"/>), fetched single-flight and replaced a margin before
/// it expires. A token Daraja called invalid (404.001.03) is passed back as <c>rejected</c>: it is
/// then replaced, unless another caller or replica already did.
/// </summary>
public sealed class DarajaTokenProvider(
    DarajaTokenStore store,
    IOptions<DarajaOptions> options,
    TimeProvider timeProvider,
    ILogger<DarajaTokenProvider> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _credentialHash = CredentialHash(options.Value);
    private DarajaToken? _current;

    public async Task<string> GetAccessTokenAsync(
        Func<CancellationToken, Task<DarajaToken>> fetch, string? rejected, CancellationToken cancellationToken)
    {
        if (Usable(Volatile.Read(ref _current), rejected) is { } fast)
        {
            return fast;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Usable(_current, rejected) is { } cached)
            {
                return cached;
            }

            await using var crossReplicaLock = await store.LockAsync(_credentialHash, cancellationToken);
            var shared = await store.ReadAsync(_credentialHash, cancellationToken);
            if (Usable(shared, rejected) is { } reused)
            {
                Volatile.Write(ref _current, shared);
                return reused;
            }

            var fresh = await fetch(cancellationToken);
            await store.WriteAsync(_credentialHash, fresh, timeProvider.GetUtcNow(), cancellationToken);
            Volatile.Write(ref _current, fresh);
            TransactionServiceLog.DarajaTokenFetched(logger, fresh.ExpiresAt);
            return fresh.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private string? Usable(DarajaToken? token, string? rejected) =>
        token is not null
        && token.AccessToken != rejected
        && timeProvider.GetUtcNow() < token.ExpiresAt - options.Value.TokenRefreshMargin
            ? token.AccessToken
            : null;

    /// <summary>Identifies the credential set without storing it: SHA-256 of URL, key and secret.</summary>
    private static string CredentialHash(DarajaOptions options) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{options.EffectiveBaseUrl}\n{options.ConsumerKey}\n{options.ConsumerSecret}")));
}
