using System.Net;
using LabelBench.Data.ActiveLearning;

namespace LabelBench.Data.Tests.ActiveLearning;

public class OutboundAddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("2002:7f00:1::", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.254", "private")]
    [InlineData("192.168.1.10", "private")]
    [InlineData("fc00::1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("::ffff:169.254.169.254", "metadata")]
    [InlineData("169.254.170.2", "metadata")]
    [InlineData("100.100.100.200", "metadata")]
    [InlineData("fd00:ec2::254", "metadata")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    public void Refuses_addresses_that_are_not_public(string address, string reason)
    {
        var refusal = OutboundAddressPolicy.Refusal(IPAddress.Parse(address));
        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.4.4")]
    public void Allows_public_addresses(string address) =>
        Assert.Null(OutboundAddressPolicy.Refusal(IPAddress.Parse(address)));
}
