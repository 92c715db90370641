using System.ComponentModel.DataAnnotations;

namespace LiveHub.ScaleOut;

/// <summary>
/// Scale-out settings. Section <c>LiveHub:ScaleOut</c>, e.g.
/// <code>{ "ConnectionStrings": { "Redis": "127.0.0.1:6379" }, "LiveHub": { "ScaleOut": { "ChannelPrefix": "livehub", "NodeId": "node-1", "LinkTimeoutMilliseconds": 2000 } } }</code>
/// Without <c>ConnectionStrings:Redis</c> LiveHub is a single node and none of this is used.
/// </summary>
public sealed class ScaleOutOptions
{
    public const string Section = "LiveHub:ScaleOut";

    /// <summary>Prefix of every Redis key and channel, so several deployments can share one Redis.</summary>
    [Required, RegularExpression("^[a-z0-9-]{1,32}$")] public string ChannelPrefix { get; set; } = "livehub";

    /// <summary>This node's name in shared counters; unique per process by default.</summary>
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>How often a node publishes its head counts and reads everyone's.</summary>
    [Range(200, 60_000)] public int PresenceSyncMilliseconds { get; set; } = 1000;

    /// <summary>A node whose heartbeat is older than this no longer counts (it died).</summary>
    [Range(1_000, 600_000)] public int NodeTimeoutMilliseconds { get; set; } = 10_000;

    /// <summary>
    /// How long this node's link to Redis may bring nothing back before it counts as down: the node then serves its own
    /// connections alone, and the Redis client, which waits a quarter of this for any answer, drops the silent connection and
    /// opens a new one. A link that stalls or loses its connection's state (a NAT or firewall that forgot it) stays open and
    /// silent, so only this notices it; a Redis slower than this to answer is treated as away too.
    /// </summary>
    [Range(1_000, 60_000)] public int LinkTimeoutMilliseconds { get; set; } = 2000;
}
