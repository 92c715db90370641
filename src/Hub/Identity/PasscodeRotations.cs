using LiveHub.Realtime;

namespace LiveHub.Identity;

/// <summary>
/// Puts a passcode rotation in force once the new stamp is committed: the event's cached stamp is forgotten and the connections
/// signed in under the old passcode are taken out of the moderator groups. On one node (<see cref="LocalPasscodeRotations"/>)
/// that happens here; with Redis (<see cref="ScaleOut.RedisPasscodeRotations"/>) on every node before the organizer gets the answer.
/// </summary>
public abstract class PasscodeRotations(PasscodeStamps stamps, ModeratorGroups groups)
{
    public abstract Task RotatedAsync(long eventId, CancellationToken ct);

    /// <summary>What every node does for a rotation; doing it twice does nothing more.</summary>
    protected async Task ApplyAsync(long eventId, CancellationToken ct)
    {
        stamps.Forget(eventId);
        await groups.RevokeAsync(eventId, ct);
    }
}

/// <summary>A single node: the rotation is in force here, which is everywhere.</summary>
public sealed class LocalPasscodeRotations(PasscodeStamps stamps, ModeratorGroups groups) : PasscodeRotations(stamps, groups)
{
    public override Task RotatedAsync(long eventId, CancellationToken ct) => ApplyAsync(eventId, ct);
}
