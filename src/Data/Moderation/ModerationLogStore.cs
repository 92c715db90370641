using System.Data.Common;
using Dapper;

namespace LiveHub.Data.Moderation;

/// <summary>The moderation audit log: who did what to which question or poll, and when. Append-only.</summary>
public sealed class ModerationLogStore(Database db)
{
    public Task AppendAsync(AuditEntry entry, CancellationToken ct) =>
        db.WriteAsync((connection, tx) => AppendAsync(connection, tx, entry, ct), ct);

    /// <summary>Appends inside a caller's transaction, so the entry commits (or rolls back) with the change it records.</summary>
    public static Task AppendAsync(DbConnection connection, DbTransaction tx, AuditEntry entry, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO moderation_log (event_id, session_id, question_id, poll_id, actor, action, detail, at)
            VALUES (@EventId, @SessionId, @QuestionId, @PollId, @Actor, @Action, @Detail, @At)
            """, entry, tx, cancellationToken: ct));

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(long eventId, long? sessionId, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<AuditEntry>(new CommandDefinition("""
            SELECT * FROM moderation_log
            WHERE event_id = @eventId AND (@sessionId IS NULL OR session_id = @sessionId)
            ORDER BY at DESC, id DESC
            LIMIT @limit
            """, new { eventId, sessionId, limit }, cancellationToken: ct));
        return rows.AsList();
    }
}
