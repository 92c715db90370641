using LiveHub.Data;
using Microsoft.Extensions.Logging;

namespace LiveHub.Realtime;

/// <summary>
/// With SQLite, checkpoints the WAL every second from the background, so votes and questions never wait behind the copy of
/// the WAL into the database file (see <see cref="SqliteDatabase.CheckpointAsync"/>). Does nothing on PostgreSQL.
/// </summary>
public sealed class SqliteCheckpointer(Database db, ILogger<SqliteCheckpointer> logger) : TickingService(logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    protected override Task TickAsync(CancellationToken ct) =>
        db is SqliteDatabase sqlite ? sqlite.CheckpointAsync(ct) : Task.CompletedTask;
}
