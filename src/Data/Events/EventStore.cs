using Dapper;

namespace LiveHub.Data.Events;

/// <summary>Events, their rooms and sessions.</summary>
public sealed class EventStore(Database db)
{
    public Task<long> CreateAsync(NewEvent e, CancellationToken ct) => db.WriteAsync(async (connection, tx) =>
    {
        var eventId = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO events (code, name, theme, host, city, time_zone, default_language, follow_browser_language, languages,
                                start_date, end_date, moderator_passcode_hash, passcode_stamp, created_at)
            VALUES (@Code, @Name, @Theme, @Host, @City, @TimeZone, @DefaultLanguage, @FollowBrowserLanguage, @Languages,
                    @StartDate, @EndDate, @ModeratorPasscodeHash, @Stamp, @Now)
            RETURNING id
            """,
            new
            {
                e.Code, e.Name, e.Theme, e.Host, e.City, e.TimeZone, e.DefaultLanguage,
                FollowBrowserLanguage = e.FollowBrowserLanguage ? 1L : 0L,
                Languages = string.Join(',', e.Languages), e.StartDate, e.EndDate, e.ModeratorPasscodeHash,
                Stamp = Guid.NewGuid().ToString("N"), Now = db.NowMs(),
            }, tx, cancellationToken: ct));

        var roomIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var room in e.Rooms)
        {
            roomIds[room.Key] = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO rooms (event_id, room_key, name, capacity, code) VALUES (@EventId, @Key, @Name, @Capacity, @Code)
                RETURNING id
                """, new { EventId = eventId, room.Key, room.Name, room.Capacity, room.Code }, tx, cancellationToken: ct));
        }

        foreach (var s in e.Sessions)
        {
            if (!roomIds.TryGetValue(s.RoomKey, out var roomId))
            {
                throw new ArgumentException($"Session '{s.Key}' names unknown room '{s.RoomKey}'.");
            }
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO sessions (event_id, room_id, session_key, title, kind, speakers, starts_at, ends_at,
                                      status_override, moderation)
                VALUES (@EventId, @RoomId, @Key, @Title, @Kind, @Speakers, @StartsAt, @EndsAt, @StatusOverride, @Moderation)
                """,
                new
                {
                    EventId = eventId, RoomId = roomId, s.Key, s.Title, s.Kind,
                    Speakers = string.Join('\n', s.Speakers),
                    StartsAt = s.StartsAt.ToUnixTimeMilliseconds(), EndsAt = s.EndsAt.ToUnixTimeMilliseconds(),
                    s.StatusOverride, s.Moderation,
                }, tx, cancellationToken: ct));
        }
        return eventId;
    }, ct);

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM events", cancellationToken: ct));
    }

    /// <summary>The event's agenda version (<see cref="EventRow.AgendaVersion"/>), as a column of a query on <c>events e</c>.</summary>
    private const string AgendaVersion = "(SELECT COUNT(*) FROM agenda_changes a WHERE a.event_id = e.id) AS agenda_version";

    public async Task<EventRow?> FindByCodeAsync(string code, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(
            "SELECT e.*, " + AgendaVersion + " FROM events e WHERE e.code = @code", new { code }, cancellationToken: ct));
    }

    public async Task<EventRow?> FindAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(
            "SELECT e.*, " + AgendaVersion + " FROM events e WHERE e.id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<EventRow>> ListAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
            "SELECT * FROM events ORDER BY id", cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<RoomRow?> FindRoomByCodeAsync(string code, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<RoomRow>(new CommandDefinition(
            "SELECT * FROM rooms WHERE code = @code", new { code }, cancellationToken: ct));
    }

    /// <summary>Gives rooms made before room codes existed a code of their own.</summary>
    public Task EnsureRoomCodesAsync(Func<string> newCode, CancellationToken ct) => db.WriteAsync(async (connection, tx) =>
    {
        var missing = await connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM rooms WHERE code IS NULL", transaction: tx, cancellationToken: ct));
        foreach (var id in missing)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE rooms SET code = @code WHERE id = @id", new { id, code = newCode() }, tx, cancellationToken: ct));
        }
    }, ct);

    public async Task<IReadOnlyList<RoomRow>> ListRoomsAsync(long eventId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<RoomRow>(new CommandDefinition(
            "SELECT * FROM rooms WHERE event_id = @eventId ORDER BY id", new { eventId }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<IReadOnlyList<SessionRow>> ListSessionsAsync(long eventId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<SessionRow>(new CommandDefinition(
            "SELECT * FROM sessions WHERE event_id = @eventId ORDER BY starts_at, id", new { eventId }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<SessionRow?> FindSessionAsync(long sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            "SELECT * FROM sessions WHERE id = @sessionId", new { sessionId }, cancellationToken: ct));
    }

    /// <summary>Sets the event's profanity list (one word per line); null returns to the built-in lists.</summary>
    public Task<bool> SetProfanityWordsAsync(long eventId, string? words, CancellationToken ct) => db.WriteAsync(async (connection, tx) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE events SET profanity_words = @words WHERE id = @eventId", new { eventId, words }, tx, cancellationToken: ct)) > 0, ct);

    /// <summary>
    /// Overrides a session's scheduled status (null follows the schedule again). No version moves: the status reaches screens
    /// as an unversioned event of its own, and a version moved without a delta would send every screen back for a snapshot.
    /// </summary>
    public Task<bool> SetStatusOverrideAsync(long sessionId, string? status, CancellationToken ct) => db.WriteAsync(async (connection, tx) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET status_override = @status WHERE id = @sessionId", new { sessionId, status }, tx, cancellationToken: ct)) > 0, ct);

    /// <summary>Sets the moderation mode and returns the new versions; a change moves both counters.</summary>
    public Task<SessionVersions?> SetModerationAsync(long sessionId, string mode, CancellationToken ct) => db.WriteAsync((connection, tx) =>
        connection.QuerySingleOrDefaultAsync<SessionVersions>(new CommandDefinition("""
            UPDATE sessions SET moderation = @mode, version = version + 1, mod_version = mod_version + 1
            WHERE id = @sessionId
            RETURNING version AS Version, mod_version AS ModVersion
            """, new { sessionId, mode }, tx, cancellationToken: ct)), ct);
}
