using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LiveHub.Realtime;

/// <summary>
/// Sends to a large group in slices, so that nothing else on the node waits for a whole hall's fan-out. A send to every
/// connection of a group queues one socket write per connection on the thread pool at once; with 15,000 phones in a keynote
/// that is a queue of about 300 ms of one core, and a vote's acknowledgement, a moderator's reply or the projector's next
/// frame queued behind it waited that long (and longer when two fan-outs met). Here a group of more than
/// <see cref="RealtimeOptions.SliceSize"/> connections is written to <see cref="RealtimeOptions.SliceSize"/> connections at a
/// time, each slice behind whatever was queued before it, the message serialized once.
/// <para>
/// Order: every send to a sliced group goes through that group's one queue, in call order, so each connection still receives
/// the group's messages in the order they were sent (a session's versions stay in order). A group that has messages queued
/// keeps using its queue until it is empty, even if it shrinks meanwhile. Nothing waits for a connection that cannot take a
/// message (as with <see cref="PushContext"/>): the transport's send timeout closes it.
/// </para>
/// </summary>
public sealed class SlicedGroupSends(int sliceSize)
{
    private sealed class Group
    {
        public readonly HashSet<HubConnectionContext> Members = [];
        public readonly Queue<SerializedHubMessage> Queued = new();
        public bool Draining;
    }

    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    /// <summary>The groups each connection is in, so that a closed one leaves them all.</summary>
    private readonly Dictionary<HubConnectionContext, HashSet<string>> _groupsOf = [];
    private readonly Lock _gate = new();
    private long _sent;

    /// <summary>Messages sent in slices so far (each to a whole group).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public void Add(string groupName, HubConnectionContext connection)
    {
        lock (_gate)
        {
            if (!_groups.TryGetValue(groupName, out var group))
            {
                _groups[groupName] = group = new Group();
            }
            group.Members.Add(connection);
            if (!_groupsOf.TryGetValue(connection, out var names))
            {
                _groupsOf[connection] = names = new HashSet<string>(StringComparer.Ordinal);
            }
            names.Add(groupName);
        }
    }

    public void Remove(string groupName, HubConnectionContext connection)
    {
        lock (_gate)
        {
            if (_groupsOf.TryGetValue(connection, out var names) && names.Remove(groupName) && names.Count == 0)
            {
                _groupsOf.Remove(connection);
            }
            Leave(groupName, connection);
        }
    }

    /// <summary>Takes a closed connection out of every group it was in.</summary>
    public void Forget(HubConnectionContext connection)
    {
        lock (_gate)
        {
            if (_groupsOf.Remove(connection, out var names))
            {
                foreach (var name in names)
                {
                    Leave(name, connection);
                }
            }
        }
    }

    /// <summary>Under the lock: the connection leaves the group, and an empty group with nothing queued goes.</summary>
    private void Leave(string groupName, HubConnectionContext connection)
    {
        if (_groups.TryGetValue(groupName, out var group) && group.Members.Remove(connection) && group.Members.Count == 0 && !group.Draining)
        {
            _groups.Remove(groupName);
        }
    }

    /// <summary>
    /// Queues the message for the group when the group is large (or already has messages queued) and answers true; false
    /// when the caller should send it as usual.
    /// </summary>
    public bool TrySend(string groupName, string methodName, object?[] args)
    {
        lock (_gate)
        {
            if (!_groups.TryGetValue(groupName, out var group) || (group.Members.Count <= sliceSize && !group.Draining))
            {
                return false;
            }
            group.Queued.Enqueue(new SerializedHubMessage(new InvocationMessage(methodName, args)));
            Interlocked.Increment(ref _sent);
            if (!group.Draining)
            {
                group.Draining = true;
                _ = Task.Run(() => DrainAsync(groupName, group));
            }
            return true;
        }
    }

    private async Task DrainAsync(string groupName, Group group)
    {
        while (true)
        {
            SerializedHubMessage message;
            HubConnectionContext[] members;
            lock (_gate)
            {
                if (!group.Queued.TryDequeue(out message!))
                {
                    group.Draining = false;
                    if (group.Members.Count == 0)
                    {
                        _groups.Remove(groupName);
                    }
                    return;
                }
                // Members as they are when the message's turn comes: one that joined after it was sent read a snapshot
                // at least as new, and one that left no longer wants it.
                members = [.. group.Members];
            }
            for (var start = 0; start < members.Length; start += sliceSize)
            {
                if (start > 0)
                {
                    // Behind everything queued meanwhile: the slice's writes, and any acknowledgement or frame due now.
                    await Task.Yield();
                }
                var end = Math.Min(members.Length, start + sliceSize);
                for (var i = start; i < end; i++)
                {
                    Write(members[i], message);
                }
            }
        }
    }

    private static void Write(HubConnectionContext connection, SerializedHubMessage message)
    {
        try
        {
            // Not awaited: a connection that cannot take it is closed by its transport, not waited for.
            _ = connection.WriteAsync(message);
        }
        catch (Exception)
        {
            // A connection closing meanwhile; it leaves the group with its disconnect.
        }
    }
}
