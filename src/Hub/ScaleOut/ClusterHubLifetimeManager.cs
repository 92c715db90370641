using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveHub.ScaleOut;

/// <summary>
/// SignalR's Redis backplane, with this node's own connections kept in a local manager too, so that the node goes on serving
/// them while Redis is away. While <see cref="BackplaneLink.IsUp"/> every send goes through the backplane (which brings it
/// back to this node's connections as to every other node's); while it is down, sends reach this node's connections directly
/// and nothing is asked of Redis, so connecting, joining and pushing never wait for its timeouts.
/// The backplane is not told of connections and groups while Redis is away, and a registration that failed halfway leaves it
/// a subscription nobody reads (its group then stays deaf on this node); so after an outage in which either happened, every
/// registration is taken out of the backplane and made again from what this class knows, before the link counts as up.
/// </summary>
public sealed partial class ClusterHubLifetimeManager<THub> : HubLifetimeManager<THub>, ISessionStreams, IDisposable where THub : Hub
{
    private readonly UserIndexedHubLifetimeManager<THub> _local;
    private readonly RedisHubLifetimeManager<THub> _redis;
    private readonly BackplaneLink _link;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Member> _members = new(StringComparer.Ordinal);
    private volatile bool _stale;

    public ClusterHubLifetimeManager(UserIndexedHubLifetimeManager<THub> local, RedisHubLifetimeManager<THub> redis, BackplaneLink link,
        IConnectionMultiplexer multiplexer, RedisKeys keys, IOptions<JsonHubProtocolOptions> json, TimeProvider clock,
        ILogger<ClusterHubLifetimeManager<THub>> logger)
    {
        _local = local;
        _redis = redis;
        _link = link;
        _logger = logger;
        _multiplexer = multiplexer;
        _deltas = RedisChannel.Literal(keys.SessionDeltas);
        _payloadJson = json.Value.PayloadSerializerOptions;
        _order = new DeltaSequencer<Delivery>(clock, DeltaHold);
        _sweep = clock.CreateTimer(_ => Deliver(Expired()), null, DeltaSweep, DeltaSweep);
        EnsureSubscribed();
        var previous = link.Recovering;
        link.Recovering = async ct =>
        {
            if (previous is not null)
            {
                await previous(ct);
            }
            EnsureSubscribed();
            await ResyncAsync();
        };
    }

    /// <summary>One connection of this node: its groups as the hub set them, and whether the backplane may hold it.</summary>
    private sealed class Member(HubConnectionContext connection)
    {
        public HubConnectionContext Connection { get; } = connection;
        public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);
        public bool OnRedis { get; set; }
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    /// <summary>The groups that have members on this node.</summary>
    public IReadOnlyCollection<string> LocalGroups()
    {
        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in _members.Values)
        {
            lock (member.Groups)
            {
                groups.UnionWith(member.Groups);
            }
        }
        return groups;
    }

    /// <summary>To this node's members of the groups only, whatever the link: each node tells its own screens.</summary>
    public Task SendLocalAsync(IReadOnlyList<string> groups, string methodName, object?[] args) =>
        HandedOver(_local.SendGroupsAsync(groups, methodName, args));

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await _local.OnConnectedAsync(connection);
        var member = new Member(connection);
        _members[connection.ConnectionId] = member;
        await member.Gate.WaitAsync();
        try
        {
            await RegisterAsync(member, () => _redis.OnConnectedAsync(connection));
        }
        finally
        {
            member.Gate.Release();
        }
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _members.TryRemove(connection.ConnectionId, out var member);
        await _local.OnDisconnectedAsync(connection);
        if (member is null)
        {
            return;
        }
        await member.Gate.WaitAsync();
        try
        {
            if (member.OnRedis)
            {
                member.OnRedis = false;
                // With Redis away this only forgets the subscriptions locally; it never waits for Redis then.
                await _redis.OnDisconnectedAsync(connection);
            }
        }
        catch (Exception ex)
        {
            // A command cut off by a dropped Redis connection ends cancelled: a failure like any other here.
            _stale = true;
            LogBackplaneFailed(_logger, ex, "disconnect");
        }
        finally
        {
            member.Gate.Release();
        }
    }

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        ChangeGroupAsync(connectionId, groupName, join: true, cancellationToken);

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        ChangeGroupAsync(connectionId, groupName, join: false, cancellationToken);

    /// <summary>
    /// Joins or leaves a group: locally at once, and on the backplane when the connection is registered there (a join made
    /// while it is not marks the node for the resync). Another node's connection is reached through the backplane only.
    /// </summary>
    private async Task ChangeGroupAsync(string connectionId, string groupName, bool join, CancellationToken cancellationToken)
    {
        Task OnRedis() => join
            ? _redis.AddToGroupAsync(connectionId, groupName, cancellationToken)
            : _redis.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
        if (!_members.TryGetValue(connectionId, out var member))
        {
            await (_link.IsUp ? OnRedis() : Task.CompletedTask);
            return;
        }
        await (join
            ? _local.AddToGroupAsync(connectionId, groupName, cancellationToken)
            : _local.RemoveFromGroupAsync(connectionId, groupName, cancellationToken));
        await member.Gate.WaitAsync(cancellationToken);
        try
        {
            lock (member.Groups)
            {
                _ = join ? member.Groups.Add(groupName) : member.Groups.Remove(groupName);
            }
            if (member.OnRedis)
            {
                await RegisterAsync(member, OnRedis);
            }
            else if (join)
            {
                _stale = true;
            }
        }
        finally
        {
            member.Gate.Release();
        }
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _link.IsUp ? _redis.SendAllAsync(methodName, args, cancellationToken) : HandedOver(_local.SendAllAsync(methodName, args, cancellationToken));

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        _link.IsUp
            ? _redis.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken)
            : HandedOver(_local.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _members.ContainsKey(connectionId)
            ? HandedOver(_local.SendConnectionAsync(connectionId, methodName, args, cancellationToken))
            : _link.IsUp ? _redis.SendConnectionAsync(connectionId, methodName, args, cancellationToken) : Task.CompletedTask;

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _link.IsUp
            ? _redis.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken)
            : HandedOver(_local.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken));

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        IsVersioned([groupName], args, out var delta) ? SendVersionedAsync([groupName], methodName, delta)
        : _link.IsUp
            ? _redis.SendGroupAsync(groupName, methodName, args, cancellationToken)
            : HandedOver(_local.SendGroupAsync(groupName, methodName, args, cancellationToken));

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        IsVersioned(groupNames, args, out var delta) ? SendVersionedAsync(groupNames, methodName, delta)
        : _link.IsUp
            ? _redis.SendGroupsAsync(groupNames, methodName, args, cancellationToken)
            : HandedOver(_local.SendGroupsAsync(groupNames, methodName, args, cancellationToken));

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds,
        CancellationToken cancellationToken = default) =>
        _link.IsUp
            ? _redis.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken)
            : HandedOver(_local.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _link.IsUp ? _redis.SendUserAsync(userId, methodName, args, cancellationToken) : HandedOver(_local.SendUserAsync(userId, methodName, args, cancellationToken));

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _link.IsUp
            ? _redis.SendUsersAsync(userIds, methodName, args, cancellationToken)
            : HandedOver(_local.SendUsersAsync(userIds, methodName, args, cancellationToken));

    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        _members.ContainsKey(connectionId) || !_link.IsUp
            ? _local.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken)
            : _redis.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override async Task SetConnectionResultAsync(string connectionId, CompletionMessage result)
    {
        await _local.SetConnectionResultAsync(connectionId, result);
        await _redis.SetConnectionResultAsync(connectionId, result);
    }

    public override bool TryGetReturnType(string invocationId, [NotNullWhen(true)] out Type? type) =>
        _local.TryGetReturnType(invocationId, out type) || _redis.TryGetReturnType(invocationId, out type);

    /// <summary>
    /// Tells the backplane of a connection or a group while the link is connected; otherwise leaves it to the resync. A failure
    /// may leave the backplane half registered, so the link is taken down and its recovery's resync redoes everything.
    /// </summary>
    private async Task RegisterAsync(Member member, Func<Task> register)
    {
        if (!_link.IsConnected)
        {
            _stale = true;
            return;
        }
        try
        {
            member.OnRedis = true;
            await register();
        }
        catch (Exception ex)
        {
            // Timed out or cut off (cancelled): the backplane may be half registered while the link still looks up, so the
            // link goes down and its recovery makes every registration again.
            _stale = true;
            _link.Lost("a backplane registration failed");
            LogBackplaneFailed(_logger, ex, "register");
        }
    }

    /// <summary>
    /// After an outage that left the backplane out of step: every registration out (so no channel keeps a subscription nobody
    /// reads), then every connection, user and group in again.
    /// </summary>
    private async Task ResyncAsync()
    {
        if (!_stale)
        {
            return;
        }
        _stale = false;
        var members = _members.Values.ToList();
        foreach (var member in members)
        {
            await member.Gate.WaitAsync();
            try
            {
                if (member.OnRedis)
                {
                    member.OnRedis = false;
                    await _redis.OnDisconnectedAsync(member.Connection);
                }
            }
            finally
            {
                member.Gate.Release();
            }
        }
        foreach (var member in members)
        {
            await member.Gate.WaitAsync();
            try
            {
                if (member.Connection.ConnectionAborted.IsCancellationRequested || !_members.ContainsKey(member.Connection.ConnectionId))
                {
                    continue;
                }
                member.OnRedis = true;
                await _redis.OnConnectedAsync(member.Connection);
                List<string> groups;
                lock (member.Groups)
                {
                    groups = [.. member.Groups];
                }
                foreach (var group in groups)
                {
                    await _redis.AddToGroupAsync(member.Connection.ConnectionId, group);
                }
            }
            catch
            {
                _stale = true;
                throw;
            }
            finally
            {
                member.Gate.Release();
            }
        }
        LogResynced(_logger, members.Count);
    }

    /// <summary>A local send is done once every connection has been handed its message; a failure is logged, not waited for.</summary>
    private Task HandedOver(Task sending)
    {
        if (!sending.IsCompletedSuccessfully)
        {
            sending.ContinueWith(t => LogLocalSendFailed(_logger, t.Exception!.GetBaseException()), CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "Backplane {Operation} failed; it is redone when the Redis link recovers")]
    private static partial void LogBackplaneFailed(ILogger logger, Exception ex, string operation);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Information, Message = "Backplane registrations of {Connections} connections made again after the Redis outage")]
    private static partial void LogResynced(ILogger logger, int connections);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Warning, Message = "A send to this node's own connections failed")]
    private static partial void LogLocalSendFailed(ILogger logger, Exception ex);
}
