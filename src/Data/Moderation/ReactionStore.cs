using Dapper;

namespace LiveHub.Data.Moderation;

/// <summary>Reaction totals per session, added to in batches.</summary>
public sealed class ReactionStore(Database db)
{
    public Task AddAsync(long sessionId, IReadOnlyDictionary<string, long> counts, CancellationToken ct) => db.WriteAsync((connection, tx) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO reaction_counts (session_id, emoji, total) VALUES (@sessionId, @Key, @Value)
            ON CONFLICT (session_id, emoji) DO UPDATE SET total = reaction_counts.total + excluded.total
            """, counts.Select(c => new { sessionId, c.Key, c.Value }), tx, cancellationToken: ct)), ct);

    public async Task<IReadOnlyDictionary<string, long>> TotalsAsync(long sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Emoji, long Total)>(new CommandDefinition(
            "SELECT emoji, total FROM reaction_counts WHERE session_id = @sessionId", new { sessionId }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Emoji, r => r.Total);
    }
}
