using Dapper;

namespace LiveHub.Data.Export;

/// <summary>Reads for exports: whole tables of an event or a session, in a stable order.</summary>
public sealed class ExportStore(Database db)
{
    public async Task<IReadOnlyList<ExportQuestionRow>> ListEventQuestionsAsync(long eventId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<ExportQuestionRow>(new CommandDefinition("""
            SELECT q.id, q.session_id, q.participant_id, q.author_name, q.text, q.status, q.upvotes, q.created_at, q.answered_at,
                   q.reply, q.replied_at, q.labels, q.merged_into_id, q.flagged
            FROM questions q JOIN sessions s ON s.id = q.session_id
            WHERE s.event_id = @eventId
            ORDER BY s.starts_at, s.id, q.id
            """, new { eventId }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<IReadOnlyList<ExportQuestionRow>> ListSessionQuestionsAsync(long sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<ExportQuestionRow>(new CommandDefinition("""
            SELECT id, session_id, participant_id, author_name, text, status, upvotes, created_at, answered_at,
                   reply, replied_at, labels, merged_into_id, flagged
            FROM questions
            WHERE session_id = @sessionId
            ORDER BY id
            """, new { sessionId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Every approved answer of an open-text poll, oldest first (screens show only the latest hundred).</summary>
    public async Task<IReadOnlyList<ExportAnswerRow>> ListApprovedAnswersAsync(long pollId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<ExportAnswerRow>(new CommandDefinition("""
            SELECT id, poll_id, text, display_name, created_at
            FROM votes
            WHERE poll_id = @pollId AND status = 'approved' AND text IS NOT NULL
            ORDER BY created_at, id
            """, new { pollId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>The event's export key, set once from <paramref name="candidate"/> if it has none, so every node reads the same key.</summary>
    public async Task<string> EnsureExportKeyAsync(long eventId, string candidate, CancellationToken ct) =>
        await db.WriteAsync(async (connection, tx) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE events SET export_key = @candidate WHERE id = @eventId AND export_key IS NULL",
                new { eventId, candidate }, tx, cancellationToken: ct));
            return await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT export_key FROM events WHERE id = @eventId", new { eventId }, tx, cancellationToken: ct));
        }, ct) ?? throw new InvalidOperationException($"Event {eventId} does not exist.");
}
