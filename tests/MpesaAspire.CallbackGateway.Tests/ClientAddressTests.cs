using System.Net;
using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Security;

namespace MpesaAspire.CallbackGateway.Tests;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", null, "127.0.0.1")]
    [InlineData("198.51.100.1", "196.201.214.200", "198.51.100.1")]
    [InlineData("127.0.0.1", "196.201.214.200", "196.201.214.200")]
    [InlineData("127.0.0.1", "196.201.214.200, 203.0.113.7", "203.0.113.7")]
    [InlineData("127.0.0.1", "203.0.113.7, 196.201.214.200, 10.1.2.3", "196.201.214.200")]
    [InlineData("10.9.9.9", "196.201.214.200, 10.1.2.3", "196.201.214.200")]
    [InlineData("127.0.0.1", "10.1.2.3", "10.1.2.3")]
    [InlineData("127.0.0.1", "not-an-address", "127.0.0.1")]
    [InlineData("::ffff:196.201.214.200", null, "196.201.214.200")]
    public void TheClientIsTheRightMostAddressThatIsNotATrustedProxy(string peer, string? forwardedFor, string expected)
    {
        var resolver = new ClientAddressResolver(Options.Create(new CallbackSecurityOptions { TrustedProxies = ["127.0.0.1", "10.0.0.0/8"] }));

        var client = resolver.Resolve(IPAddress.Parse(peer), forwardedFor is null ? [] : [forwardedFor]);

        Assert.Equal(IPAddress.Parse(expected), client);
    }

    [Fact]
    public void SafaricomsPublishedAddressesAreAllowedByDefaultAndOthersAreNot()
    {
        var allowed = AddressList.Parse(new CallbackSecurityOptions().EffectiveAllowedSources, "CallbackSecurity:AllowedSources");

        Assert.True(allowed.Contains(IPAddress.Parse("196.201.214.200")));
        Assert.True(allowed.Contains(IPAddress.Parse("196.201.212.69")));
        Assert.False(allowed.Contains(IPAddress.Parse("196.201.214.201")));
        Assert.False(allowed.Contains(IPAddress.Parse("127.0.0.1")));
    }
}
