using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Claims;
using LiveHub.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveHub.Realtime;

/// <summary>
/// This node's connections in moderator groups (an event's, a session's) and the sign-in each joined under. SignalR keeps a
/// connection in its groups until it leaves or drops, whatever became of its sign-in; when the passcode is rotated, this takes
/// the connections whose sign-in no longer holds out of every moderator group and tells them.
/// </summary>
public sealed partial class ModeratorGroups(IHubContext<EventHub, ILiveClient> hub, ModeratorAccess access, ILogger<ModeratorGroups> logger)
{
    private readonly ConcurrentDictionary<string, Member> _members = new();

    /// <summary>A connection's moderator sign-in (one event per sign-in) and the moderator groups it is in.</summary>
    private sealed class Member(long eventId, ClaimsPrincipal? user)
    {
        public long EventId { get; } = eventId;
        public ClaimsPrincipal? User { get; } = user;
        public HashSet<string> Groups { get; } = [];
    }

    /// <summary>
    /// Adds the connection to a moderator group of the event, then checks its sign-in again: a rotation that lands between the
    /// caller's check and the join cannot leave the connection inside. False when it was refused after all.
    /// </summary>
    public async Task<bool> JoinAsync(HubCallerContext connection, long eventId, string group, CancellationToken ct)
    {
        var member = _members.GetOrAdd(connection.ConnectionId, _ => new Member(eventId, connection.User));
        lock (member)
        {
            member.Groups.Add(group);
        }
        await hub.Groups.AddToGroupAsync(connection.ConnectionId, group, ct);
        if (await access.IsModeratorOfAsync(connection.User, eventId, ct))
        {
            return true;
        }
        await LeaveAsync(connection.ConnectionId, group);
        return false;
    }

    /// <summary>Leaves a group, any group; a moderator group is forgotten here too.</summary>
    public async Task LeaveAsync(string connectionId, string group)
    {
        if (_members.TryGetValue(connectionId, out var member))
        {
            lock (member)
            {
                member.Groups.Remove(group);
            }
        }
        await hub.Groups.RemoveFromGroupAsync(connectionId, group);
    }

    public void Disconnected(string connectionId) => _members.TryRemove(connectionId, out _);

    /// <summary>Takes every connection of the event whose sign-in no longer holds out of its moderator groups, and tells it so.</summary>
    public async Task RevokeAsync(long eventId, CancellationToken ct)
    {
        var revoked = new List<(string ConnectionId, Member Member)>();
        foreach (var (connectionId, member) in _members)
        {
            if (member.EventId == eventId && !await access.IsModeratorOfAsync(member.User, eventId, ct) &&
                _members.TryRemove(KeyValuePair.Create(connectionId, member)))
            {
                revoked.Add((connectionId, member));
            }
        }
        // All at once: a connection that dropped meanwhile can make the backplane wait for an answer that never comes.
        await Task.WhenAll(revoked.Select(r => RevokeAsync(eventId, r.ConnectionId, r.Member, ct)));
    }

    private async Task RevokeAsync(long eventId, string connectionId, Member member, CancellationToken ct)
    {
        string[] groups;
        lock (member)
        {
            groups = [.. member.Groups];
        }
        foreach (var group in groups)
        {
            await hub.Groups.RemoveFromGroupAsync(connectionId, group, ct);
        }
        await hub.Clients.Client(connectionId).ModeratorRightsLost(new RightsLost(eventId, PasscodeChanged));
        LogRevoked(logger, eventId, groups.Length);
    }

    /// <summary>Checks every sign-in on this node: a node that missed a rotation's notification catches up on its own.</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        foreach (var eventId in _members.Values.Select(m => m.EventId).Distinct().ToList())
        {
            await RevokeAsync(eventId, ct);
        }
    }

    public static readonly HubError PasscodeChanged =
        new(ErrorCodes.Forbidden, "error.passcode_changed", "The moderator passcode was changed; sign in with the new one.");

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "A moderator connection of event {EventId} lost its rights; taken out of {Groups} groups")]
    private static partial void LogRevoked(ILogger logger, long eventId, int groups);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "Checking moderator sign-ins failed; retrying on the next sweep")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);

    /// <summary>Sweeps as often as a stamp may stay cached, for as long as the node lives.</summary>
    public sealed class Sweep(ModeratorGroups groups, ILogger<ModeratorGroups> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(PasscodeStamps.CacheFor);
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    try
                    {
                        await groups.SweepAsync(stoppingToken);
                    }
                    catch (DbException ex)
                    {
                        LogSweepFailed(logger, ex);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }
    }
}
