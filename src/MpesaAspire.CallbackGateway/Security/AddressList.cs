using System.Net;
using System.Net.Sockets;

namespace MpesaAspire.CallbackGateway.Security;

/// <summary>A set of addresses and CIDR ranges (<c>196.201.214.200</c>, <c>10.0.0.0/8</c>, <c>::1</c>).</summary>
public sealed class AddressList
{
    private readonly IPNetwork[] _networks;

    private AddressList(IPNetwork[] networks) => _networks = networks;

    public static AddressList Empty { get; } = new([]);

    /// <summary>Parses every entry; throws <see cref="FormatException"/> naming the first that is neither an address nor a range.</summary>
    public static AddressList Parse(IEnumerable<string> entries, string settingName)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            if (!TryParseEntry(entry, out var network))
            {
                throw new FormatException($"{settingName}: '{entry}' is neither an IP address nor a CIDR range.");
            }

            networks.Add(network);
        }

        return new AddressList([.. networks]);
    }

    /// <summary>Whether every entry is an address or a CIDR range.</summary>
    public static bool AreValid(IEnumerable<string> entries) => entries.All(entry => TryParseEntry(entry, out _));

    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        address = Normalize(address);
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An IPv4 peer seen through a dual-stack socket (<c>::ffff:196.201.214.200</c>) is the IPv4 address.</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool TryParseEntry(string? entry, out IPNetwork network)
    {
        network = default;
        var text = entry?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.TryParse(text, out network);
        }

        if (!IPAddress.TryParse(text, out var address))
        {
            return false;
        }

        address = Normalize(address);
        network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }
}
