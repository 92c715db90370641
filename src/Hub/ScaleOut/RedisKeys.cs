using StackExchange.Redis;

namespace LiveHub.ScaleOut;

/// <summary>
/// Every Redis key and channel LiveHub uses is named here, under the deployment's prefix
/// (<see cref="ScaleOutOptions.ChannelPrefix"/>), so several deployments can share one Redis.
/// </summary>
public sealed class RedisKeys(string prefix)
{
    /// <summary>Put before every channel by the shared multiplexer (SignalR's backplane channels included).</summary>
    public RedisChannel ChannelPrefix => RedisChannel.Literal($"{prefix}:");

    /// <summary>StackExchange.Redis's own channel for announcing configuration changes; one per deployment too.</summary>
    public string ConfigurationChannel => "configuration";

    public string DataProtection => $"{prefix}:dataprotection-keys";

    /// <summary>Sorted set of node ids scored by their last heartbeat (Unix ms).</summary>
    public string Nodes => $"{prefix}:nodes";

    /// <summary>Hash of session id to this node's audience count.</summary>
    public string Presence(string nodeId) => $"{prefix}:presence:{nodeId}";

    /// <summary>Which node sends a poll's results frames (its node id, with a lease).</summary>
    public string PollFrames(long pollId) => $"{prefix}:poll-frames:{pollId}";

    // Channels: the multiplexer adds the prefix (ChannelPrefix) to these itself.

    /// <summary>The channel a passcode rotation is told on ("{eventId}:{rotationId}"), and the one each node confirms it on.</summary>
    public string PasscodeRotated => "passcode-rotated";

    public string PasscodeRotationConfirmed => "passcode-rotated:confirmed";

    /// <summary>The channel an event's deletion is told on (the <see cref="Admin.DeletedEvent"/> as JSON): every node forgets it.</summary>
    public string EventDeleted => "event-deleted";

    /// <summary>A node's probe of its own link, after a reconnection.</summary>
    public string Probe(string nodeId) => $"probe:{nodeId}";

    /// <summary>A node's heartbeat to itself while its link is up: silence on it means the link is gone.</summary>
    public string Heartbeat(string nodeId) => $"heartbeat:{nodeId}";

    /// <summary>A node whose link came back asks every node to tell its screens to catch up.</summary>
    public string Resync => "resync";

    /// <summary>Every versioned delta for a session's groups, from every node, put back in order by each node that receives it.</summary>
    public string SessionDeltas => "session-deltas";

    /// <summary>Changes to polls whose frames a node sends, handed to it by the other nodes.</summary>
    public string PollChanges(string nodeId) => $"poll-changes:{nodeId}";
}
