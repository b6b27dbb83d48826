using System.Net;
using System.Net.Sockets;

namespace LabelBench.Data.ActiveLearning;

/// <summary>
/// Which addresses LabelBench refuses to connect to on a user's behalf (server-side request forgery): anything that
/// is not a public unicast address could reach the server itself, the internal network or a cloud's metadata service.
/// </summary>
/// <remarks>
/// IPv6 forms that embed an IPv4 address (IPv4-mapped <c>::ffff:a.b.c.d</c>, IPv4-compatible <c>::a.b.c.d</c>, NAT64
/// <c>64:ff9b::/96</c>, 6to4 <c>2002::/16</c>) are judged by the IPv4 address inside, so <c>::ffff:127.0.0.1</c> is loopback.
/// </remarks>
public static class OutboundAddressPolicy
{
    private static readonly (IPAddress Network, int Prefix, string Reason)[] Ranges =
    [
        (IPAddress.Parse("0.0.0.0"), 8, "an unspecified (\"this network\") address"),
        (IPAddress.Parse("10.0.0.0"), 8, "a private address (10.0.0.0/8)"),
        (IPAddress.Parse("100.64.0.0"), 10, "a carrier-grade NAT address (100.64.0.0/10)"),
        (IPAddress.Parse("127.0.0.0"), 8, "a loopback address"),
        (IPAddress.Parse("169.254.0.0"), 16, "a link-local address (169.254.0.0/16)"),
        (IPAddress.Parse("172.16.0.0"), 12, "a private address (172.16.0.0/12)"),
        (IPAddress.Parse("192.0.0.0"), 24, "an IETF protocol address (192.0.0.0/24)"),
        (IPAddress.Parse("192.168.0.0"), 16, "a private address (192.168.0.0/16)"),
        (IPAddress.Parse("198.18.0.0"), 15, "a network benchmarking address (198.18.0.0/15)"),
        (IPAddress.Parse("224.0.0.0"), 4, "a multicast address"),
        (IPAddress.Parse("240.0.0.0"), 4, "a reserved or broadcast address"),
        (IPAddress.Parse("::"), 128, "the unspecified address"),
        (IPAddress.Parse("::1"), 128, "a loopback address"),
        (IPAddress.Parse("100::"), 64, "a discard-only address (100::/64)"),
        (IPAddress.Parse("2001::"), 32, "a Teredo tunnel address (2001::/32)"),
        (IPAddress.Parse("2001:db8::"), 32, "a documentation address (2001:db8::/32)"),
        (IPAddress.Parse("fc00::"), 7, "a unique local (private) address (fc00::/7)"),
        (IPAddress.Parse("fe80::"), 10, "a link-local address (fe80::/10)"),
        (IPAddress.Parse("fec0::"), 10, "a site-local address (fec0::/10)"),
        (IPAddress.Parse("ff00::"), 8, "a multicast address"),
    ];

    /// <summary>Cloud metadata endpoints, named as such (most also fall in a range above).</summary>
    private static readonly HashSet<IPAddress> Metadata =
    [
        IPAddress.Parse("169.254.169.254"), // AWS, Azure, GCP, OpenStack, Oracle, DigitalOcean
        IPAddress.Parse("169.254.170.2"), // AWS ECS task metadata
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud
        IPAddress.Parse("192.0.0.192"), // Oracle Cloud (legacy)
        IPAddress.Parse("fd00:ec2::254"), // AWS over IPv6
    ];

    private static readonly IPAddress Nat64 = IPAddress.Parse("64:ff9b::");

    /// <summary>Why LabelBench refuses <paramref name="address"/>, or null when it is a public unicast address.</summary>
    public static string? Refusal(IPAddress address)
    {
        if (Direct(address) is { } reason)
        {
            return reason;
        }

        var embedded = Embedded(address);
        return embedded.Equals(address) ? null : Direct(embedded);
    }

    public static bool IsAllowed(IPAddress address) => Refusal(address) is null;

    /// <summary>The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), else the address itself.</summary>
    internal static IPAddress Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        // 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD.
        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return new IPAddress(bytes.AsSpan(2, 4));
        }

        // NAT64 (64:ff9b::/96) and the deprecated IPv4-compatible form (::/96) carry it in the last 4 bytes.
        if (InRange(address, Nat64, 96) || bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return address;
    }

    private static string? Direct(IPAddress ip)
    {
        if (Metadata.Contains(ip))
        {
            return "a cloud metadata address";
        }

        foreach (var (network, prefix, reason) in Ranges)
        {
            if (InRange(ip, network, prefix))
            {
                return reason;
            }
        }

        return null;
    }

    private static bool InRange(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var full = prefix / 8;
        if (!a.AsSpan(0, full).SequenceEqual(n.AsSpan(0, full)))
        {
            return false;
        }

        var rest = prefix % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (a[full] & mask) == (n[full] & mask);
    }
}
