using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Realtime;
using LiveHub.Web.Admin;
using LiveHub.Web.Api;
using Microsoft.AspNetCore.Authentication;

namespace LiveHub.Web.Security;

/// <summary>
/// The HTTP side of the declared requirements (<see cref="AccessAttribute"/>): every endpoint says who may call it where it is
/// mapped, and one middleware enforces it before any endpoint runs, with the hub's moderator check (<see cref="ModeratorAccess"/>).
/// An endpoint that declares nothing is refused.
/// </summary>
public static class EndpointAccess
{
    public static TBuilder AllowAnyone<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnyoneAttribute());

    /// <summary>A moderator of the event named by the route's <c>{code}</c> (<see cref="Concerning.Event"/>) or <c>{sessionId}</c>.</summary>
    public static TBuilder RequireModerator<TBuilder>(this TBuilder builder, Concerning concerning, string? forView = null, bool orOrganizer = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ModeratorAttribute(concerning) { ForView = forView, OrOrganizer = orOrganizer });

    /// <summary>The organizer. ASP.NET Core's admin policy reads the admin cookie (and answers 401 without one); this checks it again.</summary>
    public static TBuilder RequireOrganizer<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(AdminClaims.Policy).WithMetadata(new OrganizerAttribute());

    /// <summary>After authentication and authorization, before the endpoint: its declared requirement, or the typed error.</summary>
    public static IApplicationBuilder UseEndpointAccess(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint() is { } endpoint && await RefusalAsync(http, endpoint) is { } error)
        {
            await ApiErrors.ToHttp(error).ExecuteAsync(http);
            return;
        }
        await next(http);
    });

    private static async Task<HubError?> RefusalAsync(HttpContext http, Endpoint endpoint)
    {
        var declared = endpoint.Metadata.GetOrderedMetadata<AccessAttribute>();
        if (declared.Count == 0)
        {
            return ErrorCodes.ForbiddenError();
        }
        foreach (var requirement in declared)
        {
            switch (requirement)
            {
                case AnyoneAttribute:
                    break;
                case OrganizerAttribute:
                    if (!await IsOrganizerAsync(http))
                    {
                        return ErrorCodes.ForbiddenError();
                    }
                    break;
                case ModeratorAttribute moderator:
                    // The same string the endpoint binds: several values arrive joined, and are no view at all.
                    if (moderator.ForView is { } view && ((string?)http.Request.Query["view"] ?? SessionViews.Audience) != view)
                    {
                        break;
                    }
                    if (moderator.OrOrganizer && await IsOrganizerAsync(http))
                    {
                        break;
                    }
                    var (id, missing) = await TargetOfAsync(http, moderator.Concerning);
                    if (missing is not null)
                    {
                        return missing;
                    }
                    var access = http.RequestServices.GetRequiredService<ModeratorAccess>();
                    if (await access.CheckAsync(http.User, moderator.Concerning, id, http.RequestAborted) is { } error)
                    {
                        return error;
                    }
                    break;
                default:
                    return ErrorCodes.ForbiddenError();
            }
        }
        return null;
    }

    /// <summary>The id of what the route names. Events are public by code, so an unknown one is plainly not found.</summary>
    private static async Task<(long Id, HubError? Missing)> TargetOfAsync(HttpContext http, Concerning concerning)
    {
        var route = http.Request.RouteValues;
        switch (concerning)
        {
            case Concerning.Event:
                var events = http.RequestServices.GetRequiredService<EventService>();
                var e = await events.FindByCodeAsync(route["code"] as string, http.RequestAborted);
                return e is null ? (0, ErrorCodes.NotFoundError("event")) : (e.Id, null);
            case Concerning.Session when long.TryParse(route["sessionId"] as string, out var sessionId):
                return (sessionId, null);
            default:
                return (0, ErrorCodes.ForbiddenError());
        }
    }

    private static async Task<bool> IsOrganizerAsync(HttpContext http) =>
        AdminClaims.IsAdmin(http.User) || AdminClaims.IsAdmin((await http.AuthenticateAsync(AdminClaims.Scheme)).Principal);
}
