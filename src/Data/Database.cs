using System.Data;
using System.Data.Common;
using Dapper;
using DbUp;
using DbUp.Engine;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LiveHub.Data;

/// <summary>
/// Opens connections to the store and applies its migrations. Two engines share every store's SQL: SQLite (the embedded
/// default, one node) and PostgreSQL (a cluster). Where their dialects differ, the difference lives here or in the migrations.
/// </summary>
public abstract class Database
{
    static Database()
    {
        // Columns are snake_case; row types are PascalCase.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    protected Database(string dataDirectory, TimeProvider? clock)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(DataDirectory);
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>Where the node keeps its files (keys, generated secrets) beside the data.</summary>
    public string DataDirectory { get; }

    /// <summary>The clock every stored time is read from: the application's registered one, so a deadline stored and checked agree.</summary>
    public TimeProvider Clock { get; }

    /// <summary>Now, in the stores' unit: Unix epoch milliseconds.</summary>
    public long NowMs() => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>"sqlite" or "postgres".</summary>
    public abstract string Engine { get; }

    /// <summary>
    /// A connection for reading. On SQLite it cannot write: a write on it fails at once instead of skipping the write gate.
    /// Every write goes through <see cref="WriteAsync{T}"/>.
    /// </summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>A connection that may write: only <see cref="WriteAsync{T}"/> and maintenance take one.</summary>
    protected abstract Task<DbConnection> OpenWriterAsync(CancellationToken ct);

    /// <summary>
    /// SQL for "<paramref name="column"/> is one of the list bound to <paramref name="parameter"/>" (bind an array). Dapper
    /// expands a list into one parameter per item for SQLite, but hands it to Npgsql as one array, which PostgreSQL reads
    /// only with <c>= ANY</c>: every list is bound through here.
    /// </summary>
    public abstract string InList(string column, string parameter);

    /// <summary>
    /// The one way to write: a connection that may write, the write gate, a transaction, <paramref name="write"/>'s statements
    /// and the commit. <paramref name="write"/> that decides to write nothing simply writes nothing; one that throws rolls
    /// everything back. The commit is not cancellable: once sent, its outcome decides, not a stop request; and a failure in
    /// releasing the transaction, gate or connection after it does not undo the answer.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken ct)
    {
        var committed = false;
        T result = default!;
        try
        {
            await using var connection = await OpenWriterAsync(ct);
            await using var gate = await WriteGateAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            result = await write(connection, tx);
            await tx.CommitAsync(CancellationToken.None);
            committed = true;
        }
        catch (Exception) when (committed)
        {
            // Only the clean-up after the commit failed: the write stands and is answered.
        }
        return result;
    }

    /// <inheritdoc cref="WriteAsync{T}"/>
    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> write, CancellationToken ct) =>
        WriteAsync(async (connection, tx) =>
        {
            await write(connection, tx);
            return true;
        }, ct);

    /// <summary>
    /// Taken around every write transaction. SQLite has one writer at a time; queueing writers here, in order, is far cheaper
    /// than letting them collide on the file lock and sleep in SQLite's busy handler. PostgreSQL locks rows itself: no gate.
    /// </summary>
    private protected virtual ValueTask<IAsyncDisposable> WriteGateAsync(CancellationToken ct) => ValueTask.FromResult<IAsyncDisposable>(NoGate.Instance);

    private sealed class NoGate : IAsyncDisposable
    {
        public static readonly NoGate Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _knownParticipants = new(StringComparer.Ordinal);

    /// <summary>
    /// Stores a participant row unless this process has seen it committed already: hot write paths skip a statement per write.
    /// Call <see cref="RememberParticipant"/> once the transaction has committed, never before (a rolled-back row is not there).
    /// </summary>
    public async Task EnsureParticipantAsync(DbConnection connection, DbTransaction tx, string participantId, long now, CancellationToken ct)
    {
        if (!_knownParticipants.ContainsKey(participantId))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO participants (id, created_at) VALUES (@participantId, @now) ON CONFLICT (id) DO NOTHING",
                new { participantId, now }, tx, cancellationToken: ct));
        }
    }

    /// <summary>A participant row committed by this process; bounded so a long event cannot grow the set without end.</summary>
    public void RememberParticipant(string participantId)
    {
        if (_knownParticipants.Count > 200_000)
        {
            _knownParticipants.Clear();
        }
        _knownParticipants.TryAdd(participantId, 0);
    }

    /// <summary>
    /// Forgets every participant this process has seen committed: after participant rows were deleted (an event's deletion
    /// removes those left without any row), the next write of each stores its row again instead of assuming it.
    /// </summary>
    public void ForgetParticipants() => _knownParticipants.Clear();

    /// <summary>
    /// Whether the store refused a text it was given (PostgreSQL refuses U+0000, which SQLite stores): a fault of the input,
    /// final, not an outage to retry. Input rules refuse such text before it gets here; this tells a slip apart.
    /// </summary>
    public static bool IsRefusedText(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter };

    /// <summary>Applies the embedded, numbered migration scripts of this engine that have not run yet.</summary>
    public abstract void Migrate();

    /// <summary>
    /// Makes what the transaction deletes unreadable in the store's files, as far as the engine can: SQLite overwrites
    /// deleted content with zeros (<c>secure_delete</c>) until the returned scope ends. PostgreSQL keeps dead rows until
    /// vacuum reuses their space; nothing to do here.
    /// </summary>
    public virtual Task<IAsyncDisposable> OverwriteDeletionsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) =>
        Task.FromResult<IAsyncDisposable>(NoGate.Instance);

    /// <summary>
    /// After a deletion of people's content: SQLite copies the write-ahead log into the database file and empties it, so
    /// the log keeps no older copy of the deleted pages. Best effort (readers may hold the log); PostgreSQL: nothing.
    /// </summary>
    public virtual Task<bool> FlushDeletionsAsync(CancellationToken ct) => Task.FromResult(true);

    /// <summary>A read transaction that sees one consistent state without blocking writers.</summary>
    public static DbTransaction BeginRead(DbConnection connection) => connection switch
    {
        SqliteConnection sqlite => sqlite.BeginTransaction(deferred: true),
        _ => connection.BeginTransaction(IsolationLevel.RepeatableRead),
    };

    protected static void Check(DatabaseUpgradeResult result)
    {
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Database migration failed at {result.ErrorScript?.Name}", result.Error);
        }
    }

    protected static Func<string, bool> Scripts(string folder) => name => name.Contains($".Migrations.{folder}.", StringComparison.Ordinal);
}

/// <summary>SQLite in WAL mode with a busy timeout: the single-node default.</summary>
public sealed class SqliteDatabase : Database
{
    private readonly string _connectionString;
    private readonly string _readConnectionString;
    private readonly string _pragmas;

    /// <param name="sqlitePath">The database file.</param>
    /// <param name="busyTimeoutMilliseconds">How long a write waits for another writer before it fails as retryable.</param>
    /// <param name="synchronous">
    /// <c>NORMAL</c>: flushed at checkpoints only (a commit survives a crash of the process, not necessarily of the machine).
    /// <c>FULL</c>: each commit is flushed to disk before it returns (an acknowledged write survives a power cut).
    /// </param>
    /// <param name="clock">Where stored times come from; the machine's clock when null.</param>
    public SqliteDatabase(string sqlitePath, int busyTimeoutMilliseconds = 5000, string synchronous = "NORMAL", TimeProvider? clock = null)
        : base(Path.GetDirectoryName(Path.GetFullPath(sqlitePath))!, clock)
    {
        SqlitePath = Path.GetFullPath(sqlitePath);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = SqlitePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (busyTimeoutMilliseconds + 999) / 1000),
        };
        _connectionString = builder.ToString();
        // Readers get connections of their own that SQLite refuses to write on: a write that skipped the gate fails in the
        // first test that runs it, not in a hall under load.
        builder.Mode = SqliteOpenMode.ReadOnly;
        _readConnectionString = builder.ToString();
        if (synchronous is not ("FULL" or "NORMAL"))
        {
            throw new ArgumentOutOfRangeException(nameof(synchronous), synchronous, "FULL or NORMAL");
        }
        // These are settings of each connection, not of the file: they are set on every open. Checkpoints (copying the WAL
        // into the database file, with a flush) are left to CheckpointAsync off the write path; the automatic one at
        // AutoCheckpointPages is only a backstop, for processes that never call it.
        _pragmas = $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = {synchronous}; " +
                   $"PRAGMA wal_autocheckpoint = {AutoCheckpointPages};";
    }

    public string SqlitePath { get; }

    public override string Engine => "sqlite";

    public override string InList(string column, string parameter) => $"{column} IN @{parameter}";

    /// <summary>WAL pages (4 KiB each) after which a commit checkpoints by itself, should <see cref="CheckpointAsync"/> not run.</summary>
    public const int AutoCheckpointPages = 20_000;

    /// <summary>
    /// Copies what the WAL holds into the database file without waiting for readers or writers (a passive checkpoint),
    /// so the commit that would otherwise cross the automatic threshold does not pay for the copy and its flush.
    /// Returns the WAL's size in pages before, and how many of them were copied.
    /// </summary>
    public async Task<(long WalPages, long Copied)> CheckpointAsync(CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        var result = await connection.QuerySingleAsync<(long Busy, long Log, long Checkpointed)>(
            new CommandDefinition("PRAGMA wal_checkpoint(PASSIVE)", cancellationToken: ct));
        return (result.Log, result.Checkpointed);
    }

    private readonly SemaphoreSlim _writer = new(1, 1);

    public override async Task<IAsyncDisposable> OverwriteDeletionsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        var before = await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA secure_delete", transaction: tx, cancellationToken: ct));
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA secure_delete = 1", transaction: tx, cancellationToken: ct));
        return new SecureDelete(connection, tx, before);
    }

    /// <summary>Puts the pooled writer connection's setting back, so other writes keep their usual cost.</summary>
    private sealed class SecureDelete(DbConnection connection, DbTransaction tx, long before) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await connection.ExecuteScalarAsync<long>(new CommandDefinition($"PRAGMA secure_delete = {before}", transaction: tx));
    }

    public override async Task<bool> FlushDeletionsAsync(CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        var result = await connection.QuerySingleAsync<(long Busy, long Log, long Checkpointed)>(
            new CommandDefinition("PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken: ct));
        return result.Busy == 0;
    }

    private protected override async ValueTask<IAsyncDisposable> WriteGateAsync(CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        return new Gate(_writer);
    }

    private sealed class Gate(SemaphoreSlim writer) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                writer.Release();
            }
            return ValueTask.CompletedTask;
        }
    }

    public override Task<DbConnection> OpenAsync(CancellationToken ct) => OpenAsync(_readConnectionString, ct);

    protected override Task<DbConnection> OpenWriterAsync(CancellationToken ct) => OpenAsync(_connectionString, ct);

    private async Task<DbConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        // A writer waits for another writer instead of failing at once.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = _pragmas;
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    public override void Migrate()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            connection.Open();
            // WAL lets the projector and phones read while a question is being written.
            connection.Execute("PRAGMA journal_mode = WAL;");
        }
        Check(DeployChanges.To
            .SqliteDatabase(_connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(Database).Assembly, Scripts("Sqlite"))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade());
    }
}

/// <summary>PostgreSQL through Npgsql's pooled data source: the store several nodes share.</summary>
public sealed class PostgresDatabase : Database, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;

    /// <param name="clock">Where stored times come from; the machine's clock when null.</param>
    public PostgresDatabase(string connectionString, string dataDirectory, TimeProvider? clock = null) : base(dataDirectory, clock)
    {
        _connectionString = connectionString;
        _dataSource = NpgsqlDataSource.Create(WithAutoPrepare(connectionString));
    }

    /// <summary>
    /// Statements run twice on a connection are prepared there (parsed and planned once), unless the connection string says
    /// otherwise (<c>Max Auto Prepare</c>): a vote's or a join's few statements run thousands of times a minute, and planning
    /// them each time was much of what PostgreSQL spent on them. One cost: while nodes are upgraded one at a time, a migration
    /// that adds a column makes an older node's prepared <c>SELECT *</c> of that table fail once per connection (PostgreSQL's
    /// "cached plan must not change result type"; Npgsql then drops the statement and prepares it again), which the caller
    /// meets as a retryable store error.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }

    public override string Engine => "postgres";

    public override string InList(string column, string parameter) => $"{column} = ANY(@{parameter})";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) => await _dataSource.OpenConnectionAsync(ct);

    protected override Task<DbConnection> OpenWriterAsync(CancellationToken ct) => OpenAsync(ct);

    public override void Migrate()
    {
        // Several nodes may start at once: the first creates the database, DbUp's journal makes the scripts run once.
        EnsureDatabase.For.PostgresqlDatabase(_connectionString);
        Check(DeployChanges.To
            .PostgresqlDatabase(_connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(Database).Assembly, Scripts("Postgres"))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade());
    }

    public void Dispose() => _dataSource.Dispose();
}
