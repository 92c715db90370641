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

    /// <summary>This node's connections by id, for the sliced sends' groups.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HubConnectionContext> _connections = new(StringComparer.Ordinal);

    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await base.AddToGroupAsync(connectionId, groupName, cancellationToken);
        if (_connections.TryGetValue(connectionId, out var connection))
        {
            _sliced.Add(groupName, connection);
        }
    }

    public override async Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await base.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
        if (_connections.TryGetValue(connectionId, out var connection))
        {
            _sliced.Remove(groupName, connection);
        }
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _sliced.TrySend(groupName, methodName, args) ? Task.CompletedTask : base.SendGroupAsync(groupName, methodName, args, cancellationToken);

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        // The groups a send names are a session's views or an event: no connection is in two of them, so each large one can
        // go through its own queue and the rest in one send.
        var rest = new List<string>(groupNames.Count);
        foreach (var name in groupNames)
        {
            if (!_sliced.TrySend(name, methodName, args))
            {
                rest.Add(name);
            }
        }
        return rest.Count == 0 ? Task.CompletedTask : base.SendGroupsAsync(rest, methodName, args, cancellationToken);
    }

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = connection;
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
        if (_connections.TryRemove(connection.ConnectionId, out _))
        {
            _sliced.Forget(connection);
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
