using System.Data.Common;
using Dapper;

namespace LiveHub.Data.Events;

/// <summary>Moves a session's version counters inside the writer's transaction, so a change and its version commit together.</summary>
public static class SessionVersioning
{
    public static Task<SessionVersions> BumpAsync(DbConnection connection, DbTransaction tx, long sessionId, bool publicChange, CancellationToken ct) =>
        connection.QuerySingleAsync<SessionVersions>(new CommandDefinition("""
            UPDATE sessions
            SET version = version + @publicStep, mod_version = mod_version + 1
            WHERE id = @sessionId
            RETURNING version AS Version, mod_version AS ModVersion
            """, new { sessionId, publicStep = publicChange ? 1 : 0 }, tx, cancellationToken: ct));
}
