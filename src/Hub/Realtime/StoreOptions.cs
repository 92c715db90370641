using System.ComponentModel.DataAnnotations;

namespace LiveHub.Realtime;

/// <summary>
/// Where the data lives. Section <c>LiveHub:Store</c>, e.g.
/// <code>{ "LiveHub": { "Store": { "SqlitePath": "data/livehub.db", "BusyTimeoutMilliseconds": 5000, "SqliteSynchronous": "FULL", "DataDirectory": null } } }</code>
/// With a PostgreSQL connection string (<c>ConnectionStrings:Postgres</c>) the store is PostgreSQL and SQLite is not used.
/// </summary>
public sealed class StoreOptions
{
    public const string Section = "LiveHub:Store";

    /// <summary>The SQLite database file; relative paths are under the working directory.</summary>
    [Required] public string SqlitePath { get; set; } = "data/livehub.db";

    /// <summary>How long a write waits for a locked database before it answers a retryable <c>unavailable</c>.</summary>
    [Range(50, 60_000)] public int BusyTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>
    /// SQLite's <c>synchronous</c> setting on every connection. <c>FULL</c> (the default): a write is on disk before it is
    /// acknowledged, even across a power cut; writes are committed in groups, so that costs one flush per group.
    /// <c>NORMAL</c>: survives a crash of LiveHub but may lose the last commits on a power cut or operating-system crash.
    /// </summary>
    [RegularExpression("^(FULL|NORMAL)$")] public string SqliteSynchronous { get; set; } = "FULL";

    /// <summary>Where the node keeps its files (Data Protection keys without Redis, generated secrets); defaults to the SQLite file's folder.</summary>
    public string? DataDirectory { get; set; }
}
