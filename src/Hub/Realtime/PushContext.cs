using System.Reflection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace LiveHub.Realtime;

/// <summary>
/// The hub context the services push through: a push is handed to every recipient's connection, in order, and then the
/// caller moves on without waiting for the slowest recipient to take it. SignalR's own context would make a room-wide push
/// wait until every connection's buffer has room, so one phone that stops reading (a dead mobile link that still answers
/// pings) would hold the session's lock, and with it every moderator action and question in the room, until its transport
/// gives up. Each connection still receives its messages in the order they were pushed (SignalR writes to a connection one
/// message at a time, in call order); a connection that cannot take them is closed by the transport's send timeout
/// (<c>HttpConnectionDispatcherOptions.TransportSendTimeout</c>, 10 s), which bounds what waits for it.
/// A push that fails (the Redis backplane unreachable, say) is logged; the write it announces is already committed, and
/// clients that miss it see a gap in the version stream and re-read.
/// </summary>
public sealed partial class PushContext(IHubContext<EventHub> inner, ILogger<PushContext> logger) : IHubContext<EventHub, ILiveClient>
{
    public IHubClients<ILiveClient> Clients { get; } = new PushClients(inner.Clients, logger);

    public IGroupManager Groups => inner.Groups;

    private sealed class PushClients(IHubClients inner, ILogger logger) : IHubClients<ILiveClient>
    {
        public ILiveClient All => Push(inner.All);

        public ILiveClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => Push(inner.AllExcept(excludedConnectionIds));

        public ILiveClient Client(string connectionId) => Push(inner.Client(connectionId));

        public ILiveClient Clients(IReadOnlyList<string> connectionIds) => Push(inner.Clients(connectionIds));

        public ILiveClient Group(string groupName) => Push(inner.Group(groupName));

        public ILiveClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => Push(inner.GroupExcept(groupName, excludedConnectionIds));

        public ILiveClient Groups(IReadOnlyList<string> groupNames) => Push(inner.Groups(groupNames));

        public ILiveClient User(string userId) => Push(inner.User(userId));

        public ILiveClient Users(IReadOnlyList<string> userIds) => Push(inner.Users(userIds));

        private ILiveClient Push(IClientProxy target)
        {
            var proxy = DispatchProxy.Create<ILiveClient, PushProxy>();
            ((PushProxy)(object)proxy).Bind(target, logger);
            return proxy;
        }
    }

    /// <summary>Every <see cref="ILiveClient"/> method becomes a send of that name with its one argument.</summary>
    public class PushProxy : DispatchProxy
    {
        private IClientProxy _target = null!;
        private ILogger _logger = null!;

        internal void Bind(IClientProxy target, ILogger logger) => (_target, _logger) = (target, logger);

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            var name = method!.Name;
            Task sending;
            try
            {
                sending = _target.SendCoreAsync(name, args ?? []);
            }
            catch (Exception ex)
            {
                LogPushFailed(_logger, ex, name);
                return Task.CompletedTask;
            }
            if (!sending.IsCompletedSuccessfully)
            {
                sending.ContinueWith(t => LogPushFailed(_logger, t.Exception!.GetBaseException(), name), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            return Task.CompletedTask;
        }
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Push {Method} failed; recipients that missed it re-read on the next version")]
    private static partial void LogPushFailed(ILogger logger, Exception ex, string method);
}
