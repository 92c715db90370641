using System.Data.Common;
using Dapper;
using DbUp;
using Microsoft.Data.Sqlite;

namespace LiveHub.Data;

/// <summary>Opens connections to the store and applies its migrations.</summary>
public sealed class Database
{
    static Database()
    {
        // Columns are snake_case; row types are PascalCase.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    private readonly string _connectionString;
    private readonly string _pragmas;

    /// <param name="sqlitePath">The database file.</param>
    /// <param name="busyTimeoutMilliseconds">How long a write waits for another writer before it fails as retryable.</param>
    public Database(string sqlitePath, int busyTimeoutMilliseconds = 5000)
    {
        var full = Path.GetFullPath(sqlitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (busyTimeoutMilliseconds + 999) / 1000),
        }.ToString();
        _pragmas = $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA foreign_keys = ON;";
        SqlitePath = full;
    }

    public string SqlitePath { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        // A writer waits for another writer instead of failing at once.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = _pragmas;
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>Applies the embedded, numbered migration scripts that have not run yet.</summary>
    public void Migrate()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            connection.Open();
            // WAL lets the projector and phones read while a question is being written.
            connection.Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        }

        var result = DeployChanges.To
            .SqliteDatabase(_connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(Database).Assembly, name => name.Contains(".Migrations.Sqlite.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Database migration failed at {result.ErrorScript?.Name}", result.Error);
        }
    }

    /// <summary>A read transaction that sees one consistent state without taking the write lock.</summary>
    public static DbTransaction BeginRead(DbConnection connection) =>
        connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true) : connection.BeginTransaction();

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}

/// <summary>A write that could not reach the store (locked or unreachable); safe to retry.</summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);
