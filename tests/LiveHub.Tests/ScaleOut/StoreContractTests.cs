using Dapper;
using LiveHub.Data;
using LiveHub.Data.Events;
using LiveHub.Data.Polls;
using LiveHub.Data.Questions;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.ScaleOut;

/// <summary>
/// What every store must do, whatever the engine: one suite, run against SQLite and PostgreSQL.
/// </summary>
public abstract class StoreContractTests
{
    protected abstract Task<Database> DatabaseAsync();

    private async Task<(Database Db, long SessionId)> SeedAsync()
    {
        var db = await DatabaseAsync();
        var code = LiveHub.Events.JoinCode.New();
        var id = await new EventStore(db).CreateAsync(new NewEvent(code, "Uji", null, null, null, "Asia/Makassar", "id", ["id", "en"], null, null, "hash",
            [new NewRoom("hall", "Aula", 500, LiveHub.Events.JoinCode.New())],
            [new NewSession("s", "hall", "Sesi", "keynote", ["A", "B"], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1), null, "open")]),
            CancellationToken.None);
        var session = (await new EventStore(db).ListSessionsAsync(id, CancellationToken.None)).Single();
        Assert.Equal("A\nB", session.Speakers);
        return (db, session.Id);
    }

    [SkippableFact]
    public async Task AskIsIdempotentOnTheClientIdAndMovesBothVersions()
    {
        var (db, sessionId) = await SeedAsync();
        var store = new QuestionStore(db);
        var first = await store.AskAsync(new NewQuestion(sessionId, "p1", "c1", null, "Halo?", QuestionStatus.Approved), CancellationToken.None);
        var again = await store.AskAsync(new NewQuestion(sessionId, "p1", "c1", null, "Halo?", QuestionStatus.Approved), CancellationToken.None);

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Question.Id, again.Question.Id);
        Assert.Equal(new SessionVersions(1, 1), first.Versions);
        Assert.Equal(1, await store.CountAsync(sessionId, CancellationToken.None));
    }

    [SkippableFact]
    public async Task UpvotesAreOnePerParticipantAndCountedFromRows()
    {
        var (db, sessionId) = await SeedAsync();
        var store = new QuestionStore(db);
        var q = (await store.AskAsync(new NewQuestion(sessionId, "author", "c1", null, "Dukung?", QuestionStatus.Approved), CancellationToken.None)).Question;

        await store.UpvoteAsync(q.Id, "a", true, CancellationToken.None);
        await store.UpvoteAsync(q.Id, "a", true, CancellationToken.None);
        var b = await store.UpvoteAsync(q.Id, "b", true, CancellationToken.None);
        var withdrawn = await store.UpvoteAsync(q.Id, "a", false, CancellationToken.None);

        Assert.Equal(2, b!.Upvotes);
        Assert.Equal(1, withdrawn!.Upvotes);
        var read = await store.ReadSessionAsync(sessionId, "b", CancellationToken.None);
        Assert.Contains(q.Id, read!.UpvotedByParticipant);
    }

    [SkippableFact]
    public async Task ModerationChangesMoveTheScreenAndTheVersions()
    {
        var (db, sessionId) = await SeedAsync();
        var store = new QuestionStore(db);
        var q = (await store.AskAsync(new NewQuestion(sessionId, "p", "c", "Ani", "Layar?", QuestionStatus.Pending), CancellationToken.None)).Question;

        var shown = await store.ChangeAsync(sessionId, q.Id, _ => QuestionStatus.Approved, true, CancellationToken.None);
        var answered = await store.ChangeAsync(sessionId, q.Id, _ => QuestionStatus.Answered, false, CancellationToken.None);

        Assert.Equal(q.Id, shown!.OnScreenQuestionId);
        Assert.Null(answered!.OnScreenQuestionId);
        Assert.NotNull(answered.After.AnsweredAt);
        Assert.NotNull(answered.After.ApprovedAt);
        Assert.True(answered.Versions.Version > shown.Versions.Version);
    }

    [SkippableFact]
    public async Task MergeCarriesUpvotesWithoutCountingAnyoneTwice()
    {
        var (db, sessionId) = await SeedAsync();
        var store = new QuestionStore(db);
        var target = (await store.AskAsync(new NewQuestion(sessionId, "t", "c1", null, "Dana?", QuestionStatus.Approved), CancellationToken.None)).Question;
        var source = (await store.AskAsync(new NewQuestion(sessionId, "s", "c2", null, "Anggaran?", QuestionStatus.Approved), CancellationToken.None)).Question;
        await store.UpvoteAsync(target.Id, "both", true, CancellationToken.None);
        await store.UpvoteAsync(source.Id, "both", true, CancellationToken.None);
        await store.UpvoteAsync(source.Id, "only-source", true, CancellationToken.None);

        var merged = await store.MergeAsync(sessionId, source.Id, target.Id, CancellationToken.None);

        Assert.Equal(3, merged!.Target.Upvotes);
        Assert.Equal(target.Id, merged.Source.MergedIntoId);
        Assert.Null(await store.MergeAsync(sessionId, source.Id, target.Id, CancellationToken.None));
    }

    [SkippableFact]
    public async Task VotesAreOnePerParticipantIdempotentAndTalliedByTheDatabase()
    {
        var (db, sessionId) = await SeedAsync();
        var store = new PollStore(db);
        var poll = (await store.CreateAsync(sessionId, new PollDefinition("ranking", "Urutkan", "[\"A\",\"B\",\"C\"]", null, null, null, null, "live"), CancellationToken.None)).Poll;
        await store.OpenAsync(poll.Id, CancellationToken.None);

        NewVote Vote(string who, string clientId, params int[] order) =>
            new(poll.Id, who, clientId, null, null, VoteStatus.Counted, order.Select((o, i) => (o, order.Length - 1 - i)).ToList(), [], null, 0, 10);
        Assert.Equal(CastResult.Stored, (await store.CastAsync(Vote("p1", "a", 0, 1, 2), null, CancellationToken.None)).Result);
        Assert.Equal(CastResult.Stored, (await store.CastAsync(Vote("p1", "b", 1, 0, 2), null, CancellationToken.None)).Result);
        // A late resend of the first request changes nothing.
        Assert.Equal(CastResult.Repeated, (await store.CastAsync(Vote("p1", "a", 0, 1, 2), null, CancellationToken.None)).Result);
        Assert.Equal(CastResult.Stored, (await store.CastAsync(Vote("p2", "c", 1, 2, 0), null, CancellationToken.None)).Result);

        var tally = await store.TallyAsync(poll.Id, advance: true, CancellationToken.None);
        Assert.Equal(2, tally!.Voters);
        // Borda: B = 2 + 2 = 4, A = 1 + 0 = 1, C = 0 + 1 = 1.
        Assert.Equal(4, tally.Options.Single(o => o.OptionIndex == 1).Points);
        Assert.Equal(1, tally.Options.Single(o => o.OptionIndex == 0).Points);
        var next = await store.TallyAsync(poll.Id, advance: true, CancellationToken.None);
        Assert.Equal(tally.ResultsVersion + 1, next!.ResultsVersion);

        await store.CloseAsync(poll.Id, CancellationToken.None);
        Assert.Equal(CastResult.PollNotOpen, (await store.CastAsync(Vote("p3", "d", 0, 1, 2), null, CancellationToken.None)).Result);
        var scores = await store.ScoresAsync(sessionId, CancellationToken.None);
        Assert.Empty(scores);
        await using var connection = await db.OpenAsync(CancellationToken.None);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM votes WHERE poll_id = @Id", new { poll.Id }));
    }
}

public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "livehub-contract", Guid.NewGuid().ToString("N"));

    protected override Task<Database> DatabaseAsync()
    {
        var db = new SqliteDatabase(Path.Combine(_dir, "livehub.db"));
        db.Migrate();
        return Task.FromResult<Database>(db);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer? Server { get; private set; }

    public async Task InitializeAsync()
    {
        if (PostgresServer.Available)
        {
            Server = await PostgresServer.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

public sealed class PostgresStoreContractTests(PostgresFixture fixture) : StoreContractTests, IClassFixture<PostgresFixture>
{
    protected override Task<Database> DatabaseAsync()
    {
        Services.Require(fixture.Server is not null, "PostgreSQL (initdb and pg_ctl, or LIVEHUB_TEST_POSTGRES)");
        var db = new PostgresDatabase(fixture.Server!.NewDatabase(), Path.Combine(Path.GetTempPath(), "livehub-pg-data"));
        db.Migrate();
        return Task.FromResult<Database>(db);
    }
}
