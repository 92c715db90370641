using Dapper;
using LiveHub.Data.Events;

namespace LiveHub.Data.Admin;

/// <summary>The organizer's writes to an event's definition: the event itself, its rooms and sessions, and its moderator passcode.</summary>
public sealed class AdminStore(Database db)
{
    /// <summary>Edits the event and, in the same transaction, moves sessions whose local times are kept across a time zone change.</summary>
    public Task<bool> UpdateEventAsync(long eventId, EventEdit edit, IReadOnlyList<SessionTimes> retimed, CancellationToken ct) => db.WriteAsync(async (connection, tx) =>
    {
        var affected = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE events SET name = @Name, theme = @Theme, host = @Host, city = @City, time_zone = @TimeZone,
                              default_language = @DefaultLanguage, follow_browser_language = @FollowBrowserLanguage
            WHERE id = @eventId
            """, new
            {
                eventId, edit.Name, edit.Theme, edit.Host, edit.City, edit.TimeZone, edit.DefaultLanguage,
                FollowBrowserLanguage = edit.FollowBrowserLanguage ? 1L : 0L,
            }, tx, cancellationToken: ct));
        if (affected == 0)
        {
            return false;
        }
        foreach (var s in retimed)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE sessions SET starts_at = @StartsAt, ends_at = @EndsAt WHERE id = @SessionId AND event_id = @eventId
                """, new { s.SessionId, s.StartsAt, s.EndsAt, eventId }, tx, cancellationToken: ct));
            // Screens holding this session learn of the change at their next delta (a version gap fetches a fresh snapshot).
            await SessionVersioning.BumpAsync(connection, tx, s.SessionId, publicChange: true, ct);
        }
        return true;
    }, ct);

    /// <summary>Adds a room; null when the event already has a room with that key.</summary>
    public Task<RoomRow?> AddRoomAsync(long eventId, RoomWrite room, string code, CancellationToken ct) => db.WriteAsync((connection, tx) =>
        connection.QuerySingleOrDefaultAsync<RoomRow>(new CommandDefinition("""
            INSERT INTO rooms (event_id, room_key, name, capacity, code) VALUES (@eventId, @Key, @Name, @Capacity, @code)
            ON CONFLICT (event_id, room_key) DO NOTHING
            RETURNING *
            """, new { eventId, room.Key, room.Name, room.Capacity, code }, tx, cancellationToken: ct)), ct);

    public Task<RoomRow?> UpdateRoomAsync(long eventId, string roomKey, string name, int? capacity, CancellationToken ct) => db.WriteAsync((connection, tx) =>
        connection.QuerySingleOrDefaultAsync<RoomRow>(new CommandDefinition("""
            UPDATE rooms SET name = @name, capacity = @capacity WHERE event_id = @eventId AND room_key = @roomKey
            RETURNING *
            """, new { eventId, roomKey, name, capacity }, tx, cancellationToken: ct)), ct);

    /// <summary>Deletes a room that no session and no announcement refers to.</summary>
    public Task<DeleteOutcome> DeleteRoomAsync(long eventId, string roomKey, CancellationToken ct) => db.WriteAsync(async (connection, tx) =>
    {
        var roomId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM rooms WHERE event_id = @eventId AND room_key = @roomKey", new { eventId, roomKey }, tx, cancellationToken: ct));
        if (roomId is null)
        {
            return DeleteOutcome.NotFound;
        }
        var used = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT (SELECT COUNT(*) FROM sessions WHERE room_id = @roomId) + (SELECT COUNT(*) FROM announcements WHERE room_id = @roomId)
            """, new { roomId }, tx, cancellationToken: ct));
        if (used > 0)
        {
            return DeleteOutcome.InUse;
        }
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM rooms WHERE id = @roomId", new { roomId }, tx, cancellationToken: ct));
        return DeleteOutcome.Deleted;
    }, ct);

    /// <summary>Adds a session; null when the event already has a session with that key.</summary>
    public Task<SessionRow?> AddSessionAsync(long eventId, SessionWrite s, CancellationToken ct) => db.WriteAsync((connection, tx) =>
        connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition("""
            INSERT INTO sessions (event_id, room_id, session_key, title, kind, speakers, starts_at, ends_at, status_override, moderation)
            VALUES (@eventId, @RoomId, @Key, @Title, @Kind, @Speakers, @StartsAt, @EndsAt, @StatusOverride, @Moderation)
            ON CONFLICT (event_id, session_key) DO NOTHING
            RETURNING *
            """, new { eventId, s.RoomId, s.Key, s.Title, s.Kind, s.Speakers, s.StartsAt, s.EndsAt, s.StatusOverride, s.Moderation },
            tx, cancellationToken: ct)), ct);

    /// <summary>
    /// Rewrites a session (its key stays) and moves both its versions, so every screen holding it fetches a fresh snapshot
    /// at its next delta. Returns the row before and after.
    /// </summary>
    public Task<(SessionRow Before, SessionRow After, SessionVersions Versions)?> UpdateSessionAsync(long sessionId, SessionWrite s, CancellationToken ct) =>
        db.WriteAsync<(SessionRow, SessionRow, SessionVersions)?>(async (connection, tx) =>
    {
        var before = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            "SELECT * FROM sessions WHERE id = @sessionId", new { sessionId }, tx, cancellationToken: ct));
        if (before is null)
        {
            return null;
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE sessions
            SET room_id = @RoomId, title = @Title, kind = @Kind, speakers = @Speakers, starts_at = @StartsAt, ends_at = @EndsAt,
                status_override = @StatusOverride, moderation = @Moderation
            WHERE id = @sessionId
            """, new { sessionId, s.RoomId, s.Title, s.Kind, s.Speakers, s.StartsAt, s.EndsAt, s.StatusOverride, s.Moderation },
            tx, cancellationToken: ct));
        var versions = await SessionVersioning.BumpAsync(connection, tx, sessionId, publicChange: true, ct);
        var after = await connection.QuerySingleAsync<SessionRow>(new CommandDefinition(
            "SELECT * FROM sessions WHERE id = @sessionId", new { sessionId }, tx, cancellationToken: ct));
        return (before, after, versions);
    }, ct);

    /// <summary>
    /// Deletes a session nobody has used yet: refused once it has a question or a vote. Its prepared polls and reaction
    /// totals go with it.
    /// </summary>
    public Task<DeleteOutcome> DeleteSessionAsync(long sessionId, CancellationToken ct) => db.WriteAsync(async (connection, tx) =>
    {
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM sessions WHERE id = @sessionId", new { sessionId }, tx, cancellationToken: ct));
        if (exists == 0)
        {
            return DeleteOutcome.NotFound;
        }
        var used = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT (SELECT COUNT(*) FROM questions WHERE session_id = @sessionId)
                 + (SELECT COUNT(*) FROM votes v JOIN polls p ON p.id = v.poll_id WHERE p.session_id = @sessionId)
            """, new { sessionId }, tx, cancellationToken: ct));
        if (used > 0)
        {
            return DeleteOutcome.InUse;
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM vote_requests WHERE poll_id IN (SELECT id FROM polls WHERE session_id = @sessionId);
            DELETE FROM polls WHERE session_id = @sessionId;
            DELETE FROM reaction_counts WHERE session_id = @sessionId;
            DELETE FROM sessions WHERE id = @sessionId;
            """, new { sessionId }, tx, cancellationToken: ct));
        return DeleteOutcome.Deleted;
    }, ct);

    /// <summary>A new passcode hash and a new stamp: sign-ins made under the old passcode stop being accepted.</summary>
    public Task<bool> RotatePasscodeAsync(long eventId, string passcodeHash, string stamp, CancellationToken ct) => db.WriteAsync(async (connection, tx) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE events SET moderator_passcode_hash = @passcodeHash, passcode_stamp = @stamp WHERE id = @eventId",
            new { eventId, passcodeHash, stamp }, tx, cancellationToken: ct)) > 0, ct);
}
