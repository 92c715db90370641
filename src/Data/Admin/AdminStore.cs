using System.Data.Common;
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

    /// <summary>
    /// Deletes an event and everything of it, in one transaction: its questions and upvotes, polls and every kind of vote
    /// (choices, words, request keys), announcements, reaction totals, moderation log, sessions and rooms; then the
    /// participants that took part in it and have no row left anywhere (a participant is a cookie shared by every event:
    /// one still active in another event stays). Null when there is no such event.
    /// </summary>
    public async Task<EventDeletion?> DeleteEventAsync(long eventId, CancellationToken ct)
    {
        var deleted = await DeleteEventRowsAsync(eventId, ct);
        if (deleted is not null)
        {
            // Not the answer's business: a log still held by a reader is emptied by the next checkpoint instead.
            try
            {
                await db.FlushDeletionsAsync(ct);
            }
            catch (DbException)
            {
            }
        }
        return deleted;
    }

    private Task<EventDeletion?> DeleteEventRowsAsync(long eventId, CancellationToken ct) => db.WriteAsync<EventDeletion?>(async (connection, tx) =>
    {
        Task<int> Execute(string sql, object? args = null) =>
            connection.ExecuteAsync(new CommandDefinition(sql, args ?? new { eventId }, tx, cancellationToken: ct));

        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM events WHERE id = @eventId", new { eventId }, tx, cancellationToken: ct));
        if (exists == 0)
        {
            return null;
        }
        if (db.Engine == "postgres")
        {
            // A question, upvote, vote or announcement being written now waits for this transaction and then finds its
            // parent gone, instead of slipping in between the deletes and failing this one. SQLite's write gate already
            // lets one writer through at a time.
            await Execute($"""
                SELECT id FROM events WHERE id = @eventId FOR UPDATE;
                SELECT id FROM rooms WHERE event_id = @eventId FOR UPDATE;
                SELECT id FROM sessions WHERE event_id = @eventId FOR UPDATE;
                SELECT id FROM polls WHERE session_id IN ({EventSessions}) FOR UPDATE;
                SELECT id FROM questions WHERE session_id IN ({EventSessions}) FOR UPDATE;
                """);
        }
        var sessionIds = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM sessions WHERE event_id = @eventId ORDER BY id", new { eventId }, tx, cancellationToken: ct))).ToList();
        var pollIds = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT p.id FROM polls p JOIN sessions s ON s.id = p.session_id WHERE s.event_id = @eventId ORDER BY p.id",
            new { eventId }, tx, cancellationToken: ct))).ToList();
        // Everyone who left a row in this event, read before the rows go.
        var participants = (await connection.QueryAsync<string>(new CommandDefinition($"""
            SELECT q.participant_id FROM questions q WHERE q.session_id IN ({EventSessions})
            UNION SELECT u.participant_id FROM upvotes u WHERE u.question_id IN ({EventQuestions})
            UNION SELECT v.participant_id FROM votes v WHERE v.poll_id IN ({EventPolls})
            UNION SELECT c.participant_id FROM vote_choices c WHERE c.poll_id IN ({EventPolls})
            UNION SELECT w.participant_id FROM vote_words w WHERE w.poll_id IN ({EventPolls})
            UNION SELECT r.participant_id FROM vote_requests r WHERE r.poll_id IN ({EventPolls})
            """, new { eventId }, tx, cancellationToken: ct))).ToList();

        // Children before parents: SQLite checks every foreign key at once.
        await using var overwrite = await db.OverwriteDeletionsAsync(connection, tx, ct);
        var upvotes = await Execute($"DELETE FROM upvotes WHERE question_id IN ({EventQuestions})");
        await Execute($"DELETE FROM vote_choices WHERE poll_id IN ({EventPolls})");
        await Execute($"DELETE FROM vote_words WHERE poll_id IN ({EventPolls})");
        await Execute($"DELETE FROM vote_requests WHERE poll_id IN ({EventPolls})");
        var votes = await Execute($"DELETE FROM votes WHERE poll_id IN ({EventPolls})");
        var questions = await Execute($"DELETE FROM questions WHERE session_id IN ({EventSessions})");
        await Execute($"DELETE FROM polls WHERE session_id IN ({EventSessions})");
        await Execute($"DELETE FROM reaction_counts WHERE session_id IN ({EventSessions})");
        var announcements = await Execute("DELETE FROM announcements WHERE event_id = @eventId");
        await Execute("DELETE FROM moderation_log WHERE event_id = @eventId");
        await Execute("DELETE FROM sessions WHERE event_id = @eventId");
        await Execute("DELETE FROM rooms WHERE event_id = @eventId");
        await Execute("DELETE FROM events WHERE id = @eventId");
        // After the rooms and sessions, whose deletions added rows of their own.
        await Execute("DELETE FROM agenda_changes WHERE event_id = @eventId");

        // NOT IN over each table is read once per statement (a hashed set), not once per participant.
        var removed = 0;
        foreach (var chunk in participants.Chunk(500))
        {
            removed += await Execute($"""
                DELETE FROM participants
                WHERE {db.InList("id", "ids")}
                  AND id NOT IN (SELECT participant_id FROM questions)
                  AND id NOT IN (SELECT participant_id FROM upvotes)
                  AND id NOT IN (SELECT participant_id FROM votes)
                  AND id NOT IN (SELECT participant_id FROM vote_choices)
                  AND id NOT IN (SELECT participant_id FROM vote_words)
                  AND id NOT IN (SELECT participant_id FROM vote_requests)
                """, new { ids = chunk });
        }
        return new EventDeletion(eventId, sessionIds, pollIds, questions, upvotes, votes, announcements, removed);
    }, ct);

    private const string EventSessions = "SELECT id FROM sessions WHERE event_id = @eventId";
    private const string EventQuestions = "SELECT q.id FROM questions q JOIN sessions s ON s.id = q.session_id WHERE s.event_id = @eventId";
    private const string EventPolls = "SELECT p.id FROM polls p JOIN sessions s ON s.id = p.session_id WHERE s.event_id = @eventId";

    /// <summary>A new passcode hash and a new stamp: sign-ins made under the old passcode stop being accepted.</summary>
    public Task<bool> RotatePasscodeAsync(long eventId, string passcodeHash, string stamp, CancellationToken ct) => db.WriteAsync(async (connection, tx) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE events SET moderator_passcode_hash = @passcodeHash, passcode_stamp = @stamp WHERE id = @eventId",
            new { eventId, passcodeHash, stamp }, tx, cancellationToken: ct)) > 0, ct);
}
