using LiveHub.Data;
using LiveHub.Data.Events;
using LiveHub.Events;

namespace LiveHub.Realtime;

/// <summary>
/// Brings the store up to this build before the node serves anything: the numbered scripts, then the data a script cannot
/// write (a join code for each room made before rooms had one). Several nodes may run it at once; each step is idempotent.
/// </summary>
public sealed class StoreMigrations(Database db, EventStore events)
{
    public async Task MigrateAsync(CancellationToken ct)
    {
        db.Migrate();
        await events.EnsureRoomCodesAsync(JoinCode.New, ct);
    }
}
