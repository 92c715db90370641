using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHub.Realtime;

/// <summary>
/// The single-node lifetime manager with <c>Clients.User</c> answered from an index of each participant's connections.
/// SignalR's default finds a user's connections by comparing the user id of every connection on the node, so each notice to a
/// question's author (on every moderator action) cost a pass over the whole audience. With the Redis backplane it keeps the
/// node's own connections beside the backplane, to serve them while Redis is away (<see cref="ScaleOut.ClusterHubLifetimeManager{THub}"/>).
/// Sends to a large group go out in slices (<see cref="SlicedGroupSends"/>), so a hall's fan-out does not hold up everything
/// else on the node.
/// </summary>
public sealed class UserIndexedHubLifetimeManager<THub>(ILogger<DefaultHubLifetimeManager<THub>> logger, IOptions<RealtimeOptions> options)
    : DefaultHubLifetimeManager<THub>(logger) where THub : Hub
{
    private readonly Dictionary<string, List<string>> _byUser = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SlicedGroupSends _sliced = new(options.Value.SliceSize);

    /// <summary>Messages this node sent to a large group in slices.</summary>
    public long SlicedSends => _sliced.Sent;

    /// <summary>Each connection of this node and the groups it is in, for the sliced sends.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (HubConnectionContext Connection, HashSet<string> Groups)> _members = new(StringComparer.Ordinal);

    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await base.AddToGroupAsync(connectionId, groupName, cancellationToken);
        Track(connectionId, groupName, joined: true);
    }

    public override async Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await base.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
        Track(connectionId, groupName, joined: false);
    }

    /// <summary>Keeps the sliced sends' membership in step with the groups this node's connections are in.</summary>
    private void Track(string connectionId, string groupName, bool joined)
    {
        if (!_members.TryGetValue(connectionId, out var member))
        {
            return;
        }
        lock (member.Groups)
        {
            _ = joined ? member.Groups.Add(groupName) : member.Groups.Remove(groupName);
        }
        if (joined)
        {
            _sliced.Add(groupName, member.Connection);
        }
        else
        {
            _sliced.Remove(groupName, member.Connection);
        }
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _sliced.TrySend(groupName, methodName, args) ? Task.CompletedTask : base.SendGroupAsync(groupName, methodName, args, cancellationToken);

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        // The groups a send names are a session's views or an event: no connection is in two of them.
        var rest = groupNames.Where(name => !_sliced.TrySend(name, methodName, args)).ToList();
        return rest.Count == 0 ? Task.CompletedTask : base.SendGroupsAsync(rest, methodName, args, cancellationToken);
    }

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        _members[connection.ConnectionId] = (connection, new HashSet<string>(StringComparer.Ordinal));
        await base.OnConnectedAsync(connection);
        if (connection.UserIdentifier is { } user)
        {
            lock (_gate)
            {
                if (!_byUser.TryGetValue(user, out var ids))
                {
                    _byUser[user] = ids = new List<string>(1);
                }
                ids.Add(connection.ConnectionId);
            }
        }
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (_members.TryRemove(connection.ConnectionId, out var member))
        {
            string[] groups;
            lock (member.Groups)
            {
                groups = [.. member.Groups];
            }
            _sliced.RemoveEverywhere(connection, groups);
        }
        if (connection.UserIdentifier is { } user)
        {
            lock (_gate)
            {
                if (_byUser.TryGetValue(user, out var ids) && ids.Remove(connection.ConnectionId) && ids.Count == 0)
                {
                    _byUser.Remove(user);
                }
            }
        }
        await base.OnDisconnectedAsync(connection);
    }

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendEachAsync(ConnectionsOf([userId]), methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendEachAsync(ConnectionsOf(userIds), methodName, args, cancellationToken);

    /// <summary>
    /// One send per connection, each found by its id: the base class's <c>SendConnectionsAsync</c> would again walk every
    /// connection on the node. Each write starts before the next, so a connection's messages keep their order.
    /// </summary>
    private Task SendEachAsync(List<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken)
    {
        if (connectionIds.Count == 0)
        {
            return Task.CompletedTask;
        }
        if (connectionIds.Count == 1)
        {
            return SendConnectionAsync(connectionIds[0], methodName, args, cancellationToken);
        }
        return Task.WhenAll(connectionIds.Select(id => SendConnectionAsync(id, methodName, args, cancellationToken)).ToList());
    }

    private List<string> ConnectionsOf(IReadOnlyList<string> userIds)
    {
        var result = new List<string>();
        lock (_gate)
        {
            foreach (var user in userIds)
            {
                if (user is not null && _byUser.TryGetValue(user, out var ids))
                {
                    result.AddRange(ids);
                }
            }
        }
        return result;
    }
}
