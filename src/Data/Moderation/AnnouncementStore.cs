using Dapper;

namespace LiveHub.Data.Moderation;

/// <summary>Announcements per event or per room, kept so the audience can reread them.</summary>
public sealed class AnnouncementStore(Database db)
{
    public Task<AnnouncementRow> AddAsync(long eventId, long? roomId, string text, string author, CancellationToken ct) => db.WriteAsync((connection, tx) =>
        connection.QuerySingleAsync<AnnouncementRow>(new CommandDefinition("""
            INSERT INTO announcements (event_id, room_id, text, author, created_at) VALUES (@eventId, @roomId, @text, @author, @now)
            RETURNING *
            """, new { eventId, roomId, text, author, now = db.NowMs() }, tx, cancellationToken: ct)), ct);

    public Task<AnnouncementRow?> DeleteAsync(long eventId, long announcementId, CancellationToken ct) => db.WriteAsync((connection, tx) =>
        connection.QuerySingleOrDefaultAsync<AnnouncementRow>(new CommandDefinition(
            "DELETE FROM announcements WHERE id = @announcementId AND event_id = @eventId RETURNING *",
            new { eventId, announcementId }, tx, cancellationToken: ct)), ct);

    public async Task<IReadOnlyList<AnnouncementRow>> ListAsync(long eventId, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<AnnouncementRow>(new CommandDefinition(
            "SELECT * FROM announcements WHERE event_id = @eventId ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { eventId, limit }, cancellationToken: ct));
        return rows.AsList();
    }
}
