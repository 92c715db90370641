using System.Security.Claims;
using LiveHub.Identity;

namespace LiveHub.Realtime;

/// <summary>Who is calling: the server-issued participant id, the network address, and the moderator sign-in if any.</summary>
public sealed record Caller(string ParticipantId, string? Address, ClaimsPrincipal? User)
{
    public string ModeratorName => ModeratorClaims.NameOf(User);
}
