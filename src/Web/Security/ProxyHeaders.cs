using System.Net;
using LiveHub.Web.Pages;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace LiveHub.Web.Security;

/// <summary>
/// Behind nginx every request comes from the proxy's address. The client's address (for the per-address rate limits) and
/// scheme (for secure cookies behind TLS) are taken from <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, but only
/// when the request comes from an address listed in <c>LiveHub:Web:TrustedProxies</c>; anyone else could write those
/// headers themselves. The loopback is not trusted by default (ASP.NET Core's default is): on a machine without a proxy,
/// or with other local software, a client on the loopback could otherwise name a new address on every try and step around
/// every per-address limit. A proxy on the same machine is listed like any other (<c>127.0.0.1</c>, <c>::1</c>).
/// Only the last hop is read, the one the trusted proxy added. The Host header is not rewritten: nginx passes the
/// browser's own, which the origin checks compare against.
/// </summary>
public static class ProxyHeaders
{
    public static IServiceCollection AddLiveHubProxyHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebOptions>>((forwarded, web) =>
        {
            // Empty lists would make ASP.NET Core believe every sender, so without a trusted proxy nothing is read at all.
            forwarded.ForwardedHeaders = web.Value.TrustedProxies.Length == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = 1;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var entry in web.Value.TrustedProxies)
            {
                if (entry.Contains('/'))
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
                }
                else
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(entry));
                }
            }
        });
        return services;
    }

    public static IApplicationBuilder UseLiveHubProxyHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();
}
