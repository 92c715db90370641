using System.Net;
using LiveHub.Web.Pages;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace LiveHub.Web.Security;

/// <summary>
/// Behind nginx every request comes from the proxy's address. The client's address (for the per-address rate limits) and
/// scheme (for secure cookies behind TLS) are taken from <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, but only
/// when the request comes from the loopback or from an address listed in <c>LiveHub:Web:TrustedProxies</c>; anyone else
/// could write those headers themselves. Only the last hop is read, the one the trusted proxy added.
/// The Host header is not rewritten: nginx passes the browser's own, which the hub's origin check compares against.
/// </summary>
public static class ProxyHeaders
{
    public static IServiceCollection AddLiveHubProxyHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebOptions>>((forwarded, web) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = 1;
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
