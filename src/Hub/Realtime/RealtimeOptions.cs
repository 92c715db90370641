using System.ComponentModel.DataAnnotations;

namespace LiveHub.Realtime;

/// <summary>
/// Hub limits. Section <c>LiveHub:Realtime</c>, e.g.
/// <code>{ "LiveHub": { "Realtime": { "CallsPerSecond": 10, "CallBurst": 40, "JoinsAtOnce": 16, "JoinQueue": 256, "AllowedOrigins": ["https://live.example.org"] } } }</code>
/// </summary>
public sealed class RealtimeOptions
{
    public const string Section = "LiveHub:Realtime";

    /// <summary>Hub calls one connection may make per second, sustained.</summary>
    [Range(1, 10_000)] public int CallsPerSecond { get; set; } = 10;

    /// <summary>Hub calls one connection may make in a burst (a reconnect resends an outbox).</summary>
    [Range(1, 10_000)] public int CallBurst { get; set; } = 40;

    /// <summary>Largest message a client may send, in bytes.</summary>
    [Range(1024, 1_048_576)] public int MaxMessageBytes { get; set; } = 8 * 1024;

    /// <summary>
    /// How often the server pings an idle connection. Pages treat a connection that has heard nothing for 2.5 pings as
    /// dead and reconnect, so a phone on a silently dropped network notices within about ten seconds.
    /// </summary>
    [Range(1, 60)] public int KeepAliveSeconds { get; set; } = 4;

    /// <summary>
    /// Connections a send to a large group writes to before it lets other work on the node run (a vote's acknowledgement, a
    /// projector's frame); a group of more than this many is sent to in slices, in order.
    /// </summary>
    [Range(16, 1_000_000)] public int SliceSize { get; set; } = 256;

    /// <summary>
    /// Snapshot reads (<c>JoinEvent</c>, <c>JoinSession</c>) one node runs at once. A hall reconnecting together joins at the
    /// same moment; the rest wait their turn or are told to come back (<c>slow_down</c>, retryable).
    /// </summary>
    [Range(1, 10_000)] public int JoinsAtOnce { get; set; } = 16;

    /// <summary>Joins that may wait for a turn; past them a join answers <c>slow_down</c> at once.</summary>
    [Range(0, 100_000)] public int JoinQueue { get; set; } = 256;

    /// <summary>How long a join waits for its turn before it answers <c>slow_down</c>, in milliseconds.</summary>
    [Range(0, 60_000)] public int JoinWaitMilliseconds { get; set; } = 2000;

    /// <summary>
    /// Origins allowed, besides the server's own, to open the hub and to send state-changing HTTP requests; browsers from any
    /// other origin are refused.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];
}
