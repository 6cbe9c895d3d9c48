using System.Net;
using Microsoft.Extensions.Options;

namespace MpesaAspire.CallbackGateway.Security;

/// <summary>
/// Decides which address a request comes from. The direct peer, unless it is a trusted reverse
/// proxy: then the right-most address of <c>X-Forwarded-For</c> that is not itself a trusted proxy
/// (what a client writes to the left of it can be forged, what our proxies append cannot).
/// </summary>
public sealed class ClientAddressResolver(IOptions<CallbackSecurityOptions> options)
{
    private const string ForwardedForHeader = "X-Forwarded-For";

    private static readonly object ItemKey = new();

    private readonly AddressList _trustedProxies = AddressList.Parse(options.Value.TrustedProxies, "CallbackSecurity:TrustedProxies");

    /// <summary>The client's address, computed once per request; null when the server does not know the peer.</summary>
    public IPAddress? Resolve(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var cached))
        {
            return (IPAddress?)cached;
        }

        var address = Resolve(context.Connection.RemoteIpAddress, context.Request.Headers[ForwardedForHeader]);
        context.Items[ItemKey] = address;
        return address;
    }

    public IPAddress? Resolve(IPAddress? peer, IEnumerable<string?> forwardedFor)
    {
        if (peer is null)
        {
            return null;
        }

        var client = AddressList.Normalize(peer);
        if (!_trustedProxies.Contains(client))
        {
            return client;
        }

        var hops = forwardedFor
            .SelectMany(header => (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToArray();
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop))
            {
                // Garbage where our proxy would have written an address: trust nothing further left.
                return client;
            }

            client = AddressList.Normalize(hop);
            if (!_trustedProxies.Contains(client))
            {
                return client;
            }
        }

        return client;
    }
}
