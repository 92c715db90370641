using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace LiveHub.Web.Pages;

/// <summary>
/// This machine's addresses on its networks, where phones in the hall could reach it: IPv4 unicast addresses of interfaces
/// that are up, neither loopback nor link-local (169.254.x.x is what a machine gives itself when no network answered).
/// Interfaces with a gateway come first: the venue's Wi-Fi before a container bridge. A test replaces the source to stand
/// on a network the machine does not have.
/// </summary>
public sealed class LanAddresses(Func<IReadOnlyList<IPAddress>> read)
{
    /// <summary>
    /// Read afresh at most once per <see cref="Fresh"/>: a laptop changes networks while the server runs, but reading every
    /// interface costs a quarter of a millisecond, and a crowd opening the page at a loopback address (the server machine's
    /// own browser, a load test) would read them once per join.
    /// </summary>
    public static LanAddresses ThisMachine(TimeProvider? clock = null) => new(Cached(ReadInterfaces, clock ?? TimeProvider.System));

    /// <summary>How long one reading of the interfaces answers.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);

    public IReadOnlyList<IPAddress> List() => read();

    private static Func<IReadOnlyList<IPAddress>> Cached(Func<IReadOnlyList<IPAddress>> read, TimeProvider clock)
    {
        Reading? last = null;
        return () =>
        {
            var now = clock.GetTimestamp();
            if (Volatile.Read(ref last) is { } known && clock.GetElapsedTime(known.At, now) < Fresh)
            {
                return known.Addresses;
            }
            var addresses = read();
            Volatile.Write(ref last, new Reading(now, addresses));
            return addresses;
        };
    }

    private sealed record Reading(long At, IReadOnlyList<IPAddress> Addresses);

    private static IReadOnlyList<IPAddress> ReadInterfaces()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .Select(n => n.GetIPProperties())
                .OrderByDescending(p => p.GatewayAddresses.Any(g => !g.Address.Equals(IPAddress.Any)))
                .SelectMany(p => p.UnicastAddresses.Select(u => u.Address))
                .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a) && a.GetAddressBytes() is not [169, 254, ..])
                .Distinct()
                .ToList();
        }
        catch (NetworkInformationException)
        {
            return []; // a sandbox that hides its interfaces: as good as no network
        }
    }
}
