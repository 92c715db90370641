using Microsoft.AspNetCore.Http;

namespace LiveHub.Events;

/// <summary>
/// Where phones join an event or a room. The host decides it, since only the host knows its public URL and the addresses it
/// listens on; the QR codes and the event snapshot (which the projector shows) ask the same rule.
/// </summary>
public interface IJoinUrls
{
    /// <summary>The event's join URL for a page opened by <paramref name="request"/> (null: no request, e.g. at start-up).</summary>
    JoinUrl Event(HttpRequest? request, string eventCode);

    /// <summary>A room's own join URL: it leads to whatever session is live in the room.</summary>
    JoinUrl Room(HttpRequest? request, string roomCode);
}

/// <summary>A join URL, and why phones may not be able to open it (<see cref="JoinUrlWarnings"/>), or null.</summary>
public sealed record JoinUrl(string Url, string? Warning);

public static class JoinUrlWarnings
{
    /// <summary>
    /// The URL names this machine alone (localhost): no public URL is configured and the server listens on no network
    /// address of the machine, or the machine has none.
    /// </summary>
    public const string LoopbackOnly = "loopback_only";
}
