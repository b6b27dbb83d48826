using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace LabelBench.Data.ActiveLearning;

/// <summary>A connection LabelBench refused to open because of where it leads (SSRF protection).</summary>
public sealed class OutboundAddressRefusedException(string message) : IOException(message);

/// <summary>
/// Opens every outbound connection to a model service itself (<see cref="SocketsHttpHandler.ConnectCallback"/>):
/// resolves the host, drops the addresses <see cref="OutboundAddressPolicy"/> refuses, connects to an address that is
/// left and checks the address the socket actually connected to. Since the check runs on each connection and on the
/// resolved address used for it, a DNS answer that changes between check and use (rebinding) cannot slip through;
/// redirects are not followed at all. Hosts an admin listed in <c>LabelBench:ModelServices:AllowedHosts</c> skip the check.
/// </summary>
public sealed class OutboundConnectionGuard(IOptionsMonitor<ModelServiceOptions> options)
{
    /// <summary>The primary handler of the model service client.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = ConnectAsync,
        AllowAutoRedirect = false,
        // A proxy would make the guard check the proxy's address instead of the service's.
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };

    /// <summary>Why a host may not be called, judged on its current DNS answer; null when at least one address is allowed.</summary>
    public async Task<string?> CheckHostAsync(string host, CancellationToken ct)
    {
        if (options.CurrentValue.IsAllowedHost(host))
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(host, ct);
        }
        catch (SocketException ex)
        {
            return $"the host \"{host}\" cannot be resolved ({ex.SocketErrorCode})";
        }

        var refusals = addresses.Select(a => (Address: a, Reason: OutboundAddressPolicy.Refusal(a))).ToList();
        return refusals.Any(r => r.Reason is null) ? null : Refused(host, refusals[0].Address, refusals[0].Reason!);
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var allowedHost = options.CurrentValue.IsAllowedHost(host);
        var addresses = await ResolveAsync(host, ct);
        string? refusal = null;
        Exception? lastError = null;
        foreach (var address in addresses)
        {
            if (!allowedHost && OutboundAddressPolicy.Refusal(address) is { } reason)
            {
                refusal ??= Refused(host, address, reason);
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), ct);
                // Judge the peer the socket really reached, not only the address it was asked to reach.
                if (!allowedHost && socket.RemoteEndPoint is IPEndPoint peer && OutboundAddressPolicy.Refusal(peer.Address) is { } peerReason)
                {
                    socket.Dispose();
                    refusal ??= Refused(host, peer.Address, peerReason);
                    continue;
                }

                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
        }

        if (lastError is not null)
        {
            throw new HttpRequestException($"cannot connect to {host}:{port}: {lastError.Message}", lastError);
        }

        throw new OutboundAddressRefusedException(refusal ?? $"the host \"{host}\" has no address");
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        var bare = host.Trim('[', ']');
        return IPAddress.TryParse(bare, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(bare, ct);
    }

    private static string Refused(string host, IPAddress address, string reason) =>
        $"LabelBench does not connect to \"{host}\": it resolves to {address}, {reason}. An admin can allow the host in the configuration key LabelBench:ModelServices:AllowedHosts";
}
