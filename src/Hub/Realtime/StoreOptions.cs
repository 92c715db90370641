using System.ComponentModel.DataAnnotations;

namespace LiveHub.Realtime;

/// <summary>
/// Where the data lives. Section <c>LiveHub:Store</c>, e.g.
/// <code>{ "LiveHub": { "Store": { "SqlitePath": "data/livehub.db", "BusyTimeoutMilliseconds": 5000, "SqliteSynchronous": "NORMAL", "DataDirectory": null } } }</code>
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
    /// SQLite's <c>synchronous</c> setting on every connection. <c>NORMAL</c> (the default, SQLite's advice for WAL mode): an
    /// acknowledged write survives a crash or kill of LiveHub; a power cut or operating-system crash may lose the last commits
    /// since the previous checkpoint. <c>FULL</c>: every commit is flushed to disk before it is acknowledged, so it survives a
    /// power cut too; writes are committed in groups, so that costs one flush per group, but a slow or shared disk then sets
    /// the latency of votes and questions.
    /// </summary>
    [RegularExpression("^(FULL|NORMAL)$")] public string SqliteSynchronous { get; set; } = "NORMAL";

    /// <summary>Where the node keeps its files (Data Protection keys without Redis, generated secrets); defaults to the SQLite file's folder.</summary>
    public string? DataDirectory { get; set; }
}
