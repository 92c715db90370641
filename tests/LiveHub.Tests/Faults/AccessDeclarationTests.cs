using System.Reflection;
using LiveHub.Identity;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Faults;

/// <summary>
/// Nothing is reachable without a declared requirement: every hub method and every mapped endpoint says who may call it, and
/// a moderator requirement says where to find the event it concerns.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AccessDeclarationTests(ServerFixture fixture)
{
    /// <summary>The methods SignalR lets clients invoke: public instance methods of the hub itself, but its connection hooks.</summary>
    public static IReadOnlyList<MethodInfo> HubMethods() =>
        typeof(EventHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.Name is not (nameof(EventHub.OnConnectedAsync) or nameof(EventHub.OnDisconnectedAsync)))
            .ToList();

    /// <summary>Every endpoint the app maps (pages, API, hub, health, static files), as "METHOD pattern".</summary>
    public static IReadOnlyList<(string Name, RouteEndpoint Endpoint)> Endpoints(LiveHubServer server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => ($"{string.Join(",", e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])} {e.RoutePattern.RawText}", e))
            .ToList();

    [Fact]
    public void EveryHubMethodDeclaresWhoMayCallIt()
    {
        var failures = new List<string>();
        foreach (var method in HubMethods())
        {
            var declared = method.GetCustomAttributes<AccessAttribute>().ToList();
            if (Problem(declared, allowOrganizer: false) is { } problem)
            {
                failures.Add($"{method.Name}: {problem}");
                continue;
            }
            foreach (var moderator in declared.OfType<ModeratorAttribute>())
            {
                if (!CanFind(method, moderator.Concerning))
                {
                    failures.Add($"{method.Name}: [Moderator({moderator.Concerning})] but no argument names the {moderator.Concerning}");
                }
                if (moderator.ForView is not null && !method.GetParameters().Any(p => p.Name == "view" && p.ParameterType == typeof(string)))
                {
                    failures.Add($"{method.Name}: [Moderator(ForView)] but no 'view' argument");
                }
            }
        }

        Assert.NotEmpty(HubMethods());
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void EveryEndpointDeclaresWhoMayCallIt()
    {
        var failures = new List<string>();
        var endpoints = Endpoints(fixture.Server);
        foreach (var (name, endpoint) in endpoints)
        {
            var declared = endpoint.Metadata.OfType<AccessAttribute>().ToList();
            if (Problem(declared, allowOrganizer: true) is { } problem)
            {
                failures.Add($"{name}: {problem}");
                continue;
            }
            foreach (var moderator in declared.OfType<ModeratorAttribute>())
            {
                var parameter = moderator.Concerning switch
                {
                    Concerning.Event => "code",
                    Concerning.Session => "sessionId",
                    _ => null,
                };
                if (parameter is null || endpoint.RoutePattern.GetParameter(parameter) is null)
                {
                    failures.Add($"{name}: [Moderator({moderator.Concerning})] but the route has no {{{parameter ?? "poll"}}}");
                }
            }
        }

        Assert.Contains(endpoints, e => e.Name.EndsWith(" /hub", StringComparison.Ordinal));
        // Deleting an event is the organizer's alone.
        Assert.Contains(endpoints, e => e.Name == "DELETE /api/admin/events/{code}" && e.Endpoint.Metadata.OfType<AccessAttribute>().Single() is OrganizerAttribute);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string? Problem(IReadOnlyList<AccessAttribute> declared, bool allowOrganizer)
    {
        if (declared.Count == 0)
        {
            return "declares no requirement";
        }
        if (declared.Select(d => d.GetType()).Distinct().Count() > 1 || (declared.Count > 1 && declared[0] is not ModeratorAttribute))
        {
            return $"declares {string.Join(" and ", declared.Select(d => d.GetType().Name))}: one kind only";
        }
        return declared[0] is OrganizerAttribute && !allowOrganizer ? "[Organizer] is for HTTP endpoints (the hub has no admin sign-in)" : null;
    }

    private static bool CanFind(MethodInfo method, Concerning concerning)
    {
        var request = concerning switch
        {
            Concerning.Event => typeof(IEventRequest),
            Concerning.Session => typeof(ISessionRequest),
            _ => typeof(IPollRequest),
        };
        return method.GetParameters().Any(p => request.IsAssignableFrom(p.ParameterType) ||
            (concerning == Concerning.Session && p.Name == "sessionId" && p.ParameterType == typeof(long)));
    }
}
