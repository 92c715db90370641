using System.Net;
using LiveHub.Events;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LiveHub.Web.Pages;

/// <summary>
/// The host's settings. Section <c>LiveHub:Web</c>, e.g. <code>{ "LiveHub": { "Web": { "PublicUrl": "https://live.example.org", "SignInAttemptsPerMinute": 10, "TrustedProxies": ["10.0.0.5"] } } }</code>
/// </summary>
public sealed class WebOptions
{
    public const string Section = "LiveHub:Web";

    /// <summary>
    /// The base URL phones join at: in the QR codes, on the projector and in the start-up log. When unset, the address a page
    /// was opened at, unless that names this machine alone (localhost); then a network address of the machine the server
    /// listens on (see <see cref="PublicUrls.DecideJoinBase"/>).
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Moderator sign-in attempts one network address may make per minute (passcode guessing).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)] public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Reverse proxies (addresses or CIDR networks) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed;
    /// no one else's are, the loopback included: nginx on the same machine is <c>["127.0.0.1"]</c>.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}

/// <summary>
/// Builds the screens' URLs in one place, and holds the one rule for where phones join (<see cref="DecideJoinBase"/>) that
/// the QR codes, the event snapshot and the start-up log share.
/// </summary>
public sealed class PublicUrls(IOptions<WebOptions> options, IServer server, LanAddresses lan) : IJoinUrls
{
    private const string DefaultLocal = "http://localhost:5000";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.PublicUrl);

    /// <summary>The addresses the server listens on, as Kestrel reports them once it has started.</summary>
    public IReadOnlyCollection<string> Listening => [.. server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    /// <summary>Where a browser on the server machine itself opens the screens (moderator, projector).</summary>
    public string Base(HttpRequest? request, string? fallback = null) =>
        (options.Value.PublicUrl ?? (request is null ? fallback : $"{request.Scheme}://{request.Host}") ?? DefaultLocal).TrimEnd('/');

    public string Moderator(HttpRequest? request, string code, string? fallback = null) => $"{Base(request, fallback)}/e/{code}/moderator";

    public string Projector(HttpRequest? request, string code, string? fallback = null) => $"{Base(request, fallback)}/e/{code}/projector";

    /// <summary>This machine's own URL: the first address the server listens on, <c>localhost</c> for "every interface".</summary>
    public string ThisMachine() => LocalBase(Listening);

    public JoinUrl JoinBase(HttpRequest? request) => DecideJoinBase(options.Value.PublicUrl, request, Listening, lan.List);

    public JoinUrl Event(HttpRequest? request, string eventCode) => WithPath(JoinBase(request), $"/e/{eventCode}");

    public JoinUrl Room(HttpRequest? request, string roomCode) => WithPath(JoinBase(request), $"/r/{roomCode}");

    /// <summary>The URLs phones on this machine's networks can open: its network addresses that the server listens on.</summary>
    public IReadOnlyList<string> LanUrls() => LanBindings(Listening, lan.List()).Select(b => b.Url).ToList();

    /// <summary>This machine's network addresses, whether or not the server listens on them.</summary>
    public IReadOnlyList<IPAddress> NetworkAddresses() => lan.List();

    /// <summary>
    /// Where phones join: the configured public URL; else the address the page was opened at, unless it names this machine
    /// alone (localhost, a loopback or unspecified address); else a network address of this machine that the server
    /// listens on, on the request's own port when it can; else this machine's loopback URL, flagged: phones cannot open it.
    /// The network addresses are read only when the first two do not decide (a phone's request never reads them).
    /// </summary>
    public static JoinUrl DecideJoinBase(string? configured, HttpRequest? request, IReadOnlyCollection<string> listening, Func<IReadOnlyList<IPAddress>> lan)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new JoinUrl(configured.Trim().TrimEnd('/'), null);
        }
        var opened = request is { Host.HasValue: true } ? $"{request.Scheme}://{request.Host}" : null;
        if (opened is not null && !NamesThisMachineOnly(request!.Host.Host))
        {
            return new JoinUrl(opened, null);
        }
        var reachable = LanBindings(listening, lan());
        if (reachable.Count > 0)
        {
            var port = request?.Host.Port ?? (request?.IsHttps == true ? 443 : 80);
            var best = reachable.FirstOrDefault(b => request is not null && b.Scheme == request.Scheme && b.Port == port) ?? reachable[0];
            return new JoinUrl(best.Url, null);
        }
        return new JoinUrl(opened ?? LocalBase(listening), JoinUrlWarnings.LoopbackOnly);
    }

    /// <summary>Whether every address the server listens on is a loopback one, so no other machine can reach it.</summary>
    public static bool ListensOnLoopbackOnly(IEnumerable<string> listening) =>
        Bindings(listening).All(b => !IsEveryInterface(b.Host) && NamesThisMachineOnly(b.Host));

    /// <summary>localhost (and its subdomains), a loopback address, or the unspecified address a server binds to.</summary>
    public static bool NamesThisMachineOnly(string host) =>
        IsLocalhostName(host) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));

    private static JoinUrl WithPath(JoinUrl join, string path) => join with { Url = join.Url + path };

    private sealed record LanBinding(string Scheme, int Port, string Url);

    private static List<LanBinding> LanBindings(IEnumerable<string> listening, IReadOnlyList<IPAddress> lan)
    {
        var bindings = Bindings(listening).ToList();
        return lan
            .SelectMany(ip => bindings
                .Where(b => IsEveryInterface(b.Host) || (IPAddress.TryParse(b.Host.Trim('[', ']'), out var bound) && bound.Equals(ip)))
                .Select(b => new LanBinding(b.Scheme, b.Port, new UriBuilder(b.Scheme, ip.ToString(), b.Port).Uri.GetLeftPart(UriPartial.Authority))))
            .Distinct()
            .ToList();
    }

    private static string LocalBase(IEnumerable<string> listening) =>
        Bindings(listening).FirstOrDefault() is { } b
            ? new UriBuilder(b.Scheme, IsEveryInterface(b.Host) ? "localhost" : b.Host.Trim('[', ']'), b.Port).Uri.GetLeftPart(UriPartial.Authority)
            : DefaultLocal;

    private static IEnumerable<BindingAddress> Bindings(IEnumerable<string> listening)
    {
        foreach (var address in listening)
        {
            BindingAddress binding;
            try
            {
                binding = BindingAddress.Parse(address);
            }
            catch (FormatException)
            {
                continue;
            }
            if (!binding.IsUnixPipe && !binding.IsNamedPipe)
            {
                yield return binding;
            }
        }
    }

    /// <summary>Kestrel listens on every interface for *, +, 0.0.0.0 and [::], and for a host name other than localhost.</summary>
    private static bool IsEveryInterface(string host) =>
        host is "*" or "+" ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) : !IsLocalhostName(host));

    private static bool IsLocalhostName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
}
