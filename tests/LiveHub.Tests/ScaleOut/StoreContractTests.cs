using Dapper;
using LiveHub.Data;
using LiveHub.Data.Admin;
using LiveHub.Data.Events;
using LiveHub.Data.Polls;
using LiveHub.Data.Questions;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.ScaleOut;

/// <summary>
/// What every store must do, whatever the engine: one suite, run against SQLite and PostgreSQL.
/// </summary>
public abstract partial class StoreContractTests
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
    public async Task AnEventKeepsItsInterfaceLanguageAndWhetherItFollowsTheBrowser()
    {
        var db = await DatabaseAsync();
        var events = new EventStore(db);
        NewEvent Event(string code, string language, bool followBrowser) => new(code, "Uji", null, null, null, "Asia/Makassar", language, ["id", "en"],
            null, null, "hash", [new NewRoom("hall", "Aula", 10, LiveHub.Events.JoinCode.New())], [], followBrowser);
        var (following, notFollowing, older) = (LiveHub.Events.JoinCode.New(), LiveHub.Events.JoinCode.New(), LiveHub.Events.JoinCode.New());
        var followingId = await events.CreateAsync(Event(following, "en", followBrowser: true), CancellationToken.None);
        await events.CreateAsync(Event(notFollowing, "id", followBrowser: false), CancellationToken.None);
        // A row written without the column, as every event stored before it existed: the migration's default applies.
        await db.WriteAsync((connection, tx) => connection.ExecuteAsync("""
            INSERT INTO events (code, name, time_zone, default_language, languages, moderator_passcode_hash, passcode_stamp, created_at)
            VALUES (@older, 'Lama', 'Asia/Makassar', 'id', 'id,en', 'hash', 'stamp', 0)
            """, new { older }, tx), CancellationToken.None);

        var read = await events.FindByCodeAsync(following, CancellationToken.None);
        await new AdminStore(db).UpdateEventAsync(followingId, new EventEdit("Uji", null, null, null, "Asia/Makassar", "id", false), [], CancellationToken.None);
        var edited = await events.FindByCodeAsync(following, CancellationToken.None);

        Assert.Equal(("en", true), (read!.DefaultLanguage, read.FollowBrowserLanguage));
        Assert.Equal(("id", false), (edited!.DefaultLanguage, edited.FollowBrowserLanguage));
        Assert.False((await events.FindByCodeAsync(notFollowing, CancellationToken.None))!.FollowBrowserLanguage);
        Assert.False((await events.FindByCodeAsync(older, CancellationToken.None))!.FollowBrowserLanguage);
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
        var read = await store.ReadSessionAsync(sessionId, "b", everyQuestion: true, CancellationToken.None);
        Assert.Contains(q.Id, read!.UpvotedByParticipant);
    }

    [SkippableFact]
    public async Task AnAudienceReadHoldsThePublicQuestionsAndTheParticipantsOwnOnly()
    {
        var (db, sessionId) = await SeedAsync();
        var store = new QuestionStore(db);
        async Task<long> Ask(string who, string clientId, string status) =>
            (await store.AskAsync(new NewQuestion(sessionId, who, clientId, null, $"Pertanyaan {clientId}", status), CancellationToken.None)).Question.Id;
        var approved = await Ask("other", "a", QuestionStatus.Approved);
        var othersPending = await Ask("other", "b", QuestionStatus.Pending);
        var minePending = await Ask("me", "c", QuestionStatus.Pending);
        var mineApproved = await Ask("me", "d", QuestionStatus.Approved);
        var othersDismissed = await Ask("other", "e", QuestionStatus.Dismissed);

        var audience = await store.ReadSessionAsync(sessionId, "me", everyQuestion: false, CancellationToken.None);
        Assert.Equal([approved, minePending, mineApproved], audience!.Questions.Select(q => q.Id));
        var moderators = await store.ReadSessionAsync(sessionId, "me", everyQuestion: true, CancellationToken.None);
        Assert.Equal([approved, othersPending, minePending, mineApproved, othersDismissed], moderators!.Questions.Select(q => q.Id));
        // Both read the session's version in the same transaction.
        Assert.Equal(moderators.Session.Version, audience.Session.Version);
    }

    /// <summary>
    /// Ten participants, each toggling one question's upvote on and off from two connections at once: whatever the interleaving
    /// (SQLite's single writer, PostgreSQL's read committed), the stored count is the number of upvote rows.
    /// </summary>
    [SkippableFact]
    public async Task ConcurrentUpvoteTogglesLeaveTheCountEqualToTheRows()
    {
        var (db, sessionId) = await SeedAsync();
        var store = new QuestionStore(db);
        var q = (await store.AskAsync(new NewQuestion(sessionId, "author", "c1", null, "Ramai?", QuestionStatus.Approved), CancellationToken.None)).Question;

        for (var round = 0; round < 5; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 10).SelectMany(who => Enumerable.Range(0, 2).Select(connection => Task.Run(async () =>
            {
                for (var toggle = 0; toggle < 3; toggle++)
                {
                    await store.UpvoteAsync(q.Id, $"p{who}", on: (who + connection + toggle + round) % 2 == 0, CancellationToken.None);
                }
            }))));

            await using var connection = await db.OpenAsync(CancellationToken.None);
            var rows = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM upvotes WHERE question_id = @Id", new { q.Id });
            Assert.Equal(rows, (await store.FindAsync(q.Id, CancellationToken.None))!.Upvotes);
        }
    }

    /// <summary>
    /// Why the input rules refuse control characters before the store: SQLite stores U+0000, PostgreSQL refuses it. The
    /// refusal is told apart from an outage, so a slip past the rules is answered as final, not as retryable.
    /// </summary>
    [SkippableFact]
    public async Task ANulCharacterIsStoredBySqliteAndRefusedByPostgresAsText()
    {
        var db = await DatabaseAsync();
        Task Write() => db.WriteAsync((connection, tx) => connection.ExecuteAsync(
            "INSERT INTO participants (id, created_at) VALUES (@id, 0)", new { id = "nul\u0000" }, tx), CancellationToken.None);

        if (db.Engine == "postgres")
        {
            Assert.True(Database.IsRefusedText(await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(Write)));
        }
        else
        {
            await Write();
        }
        Assert.False(Database.IsRefusedText(new InvalidOperationException("not a store's refusal")));
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

    [SkippableFact]
    public async Task AChangedVoteKeepsOnlyItsNewChoices()
    {
        var (db, sessionId) = await SeedAsync();
        var store = new PollStore(db);
        var poll = (await store.CreateAsync(sessionId, new PollDefinition("multiple", "Pilih", "[\"A\",\"B\",\"C\",\"D\"]", null, null, null, null, "live"), CancellationToken.None)).Poll;
        await store.OpenAsync(poll.Id, CancellationToken.None);
        NewVote Vote(string clientId, params int[] options) =>
            new(poll.Id, "p1", clientId, null, null, VoteStatus.Counted, options.Select(o => (o, 1)).ToList(), [], null, 0, 10);

        Assert.Equal(CastResult.Stored, (await store.CastAsync(Vote("a", 0, 1, 2), null, CancellationToken.None)).Result);
        // Fewer options, one kept and one new: the others go, the kept one is not doubled.
        var changed = await store.CastAsync(Vote("b", 2, 3), null, CancellationToken.None);
        Assert.Equal(CastResult.Stored, changed.Result);
        Assert.Equal([2L, 3L], changed.Vote!.Choices.Select(c => c.OptionIndex).Order());

        await using var connection = await db.OpenAsync(CancellationToken.None);
        Assert.Equal([2L, 3L], (await connection.QueryAsync<long>(
            "SELECT option_index FROM vote_choices WHERE poll_id = @Id AND participant_id = 'p1' ORDER BY option_index", new { poll.Id })).ToList());
        var tally = await store.TallyAsync(poll.Id, advance: false, CancellationToken.None);
        Assert.Equal([(2L, 1L), (3L, 1L)], tally!.Options.OrderBy(o => o.OptionIndex).Select(o => (o.OptionIndex, o.Votes)));
    }

    [SkippableFact]
    public async Task ConcurrentVotesAreCommittedTogetherEachExactlyOnce()
    {
        var (db, sessionId) = await SeedAsync();
        await using var store = new PollStore(db);
        var poll = (await store.CreateAsync(sessionId, new PollDefinition("single", "Pilih", "[\"A\",\"B\",\"C\"]", null, null, null, null, "live"), CancellationToken.None)).Poll;
        poll = (await store.OpenAsync(poll.Id, CancellationToken.None))!.Poll;
        var batches = new System.Collections.Concurrent.ConcurrentBag<int>();
        store.VotesCommitted += (count, _) => batches.Add(count);

        // 200 voters, each sending two votes and a resend of the first, all at once.
        NewVote Vote(int who, string clientId, int option) =>
            new(poll.Id, $"voter-{who}", clientId, null, null, VoteStatus.Counted, [(option, 1)], [], null, 0, 10);
        var window = new VoteWindow(poll.OpenedAt, null);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async who =>
        {
            var first = await store.CastAsync(Vote(who, $"a{who}", 0), window, CancellationToken.None);
            var second = await store.CastAsync(Vote(who, $"b{who}", who % 3), window, CancellationToken.None);
            var resend = await store.CastAsync(Vote(who, $"a{who}", 0), window, CancellationToken.None);
            return (First: first.Result, Second: second.Result, Resend: resend);
        }));

        Assert.All(outcomes, o => Assert.Equal((CastResult.Stored, CastResult.Stored), (o.First, o.Second)));
        // The late resend answers with the vote as it stands (the second one), and changes nothing.
        Assert.All(outcomes, o => Assert.Equal(CastResult.Repeated, o.Resend.Result));
        Assert.All(outcomes.Select((o, who) => (o, who)), x => Assert.Equal(x.who % 3, (int)x.o.Resend.Vote!.Choices.Single().OptionIndex));
        Assert.Equal(600, batches.Sum());
        Assert.True(batches.Count < 600, $"{batches.Count} transactions for 600 writes: none were grouped");
        var tally = await store.TallyAsync(poll.Id, advance: false, CancellationToken.None);
        Assert.Equal(200, tally!.Voters);
        Assert.Equal([67L, 67L, 66L], tally.Options.OrderBy(o => o.OptionIndex).Select(o => o.Votes));
    }

    [SkippableFact]
    public async Task AFailingWriteInABatchFailsAloneAndItsNeighboursAreStored()
    {
        var (db, sessionId) = await SeedAsync();
        var failures = 0;
        await using var writer = new GroupCommit<string, long>(db, async (connection, tx, texts, ct) =>
        {
            var ids = new List<long>();
            foreach (var text in texts)
            {
                ids.Add(await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                    INSERT INTO announcements (event_id, room_id, text, author, created_at)
                    VALUES ((SELECT event_id FROM sessions WHERE id = @sessionId), NULL, @text, 'uji', 0) RETURNING id
                    """, new { sessionId, text }, tx, cancellationToken: ct)));
                if (text == "bad")
                {
                    // Fails after writing: the batch must not keep this row, nor lose its neighbours'.
                    Interlocked.Increment(ref failures);
                    throw new InvalidOperationException("refused");
                }
            }
            return ids.ToArray();
        });

        var texts = Enumerable.Range(0, 60).Select(i => i == 30 ? "bad" : $"pengumuman {i}").ToList();
        var writes = texts.Select(t => writer.SubmitAsync(t, CancellationToken.None)).ToList();
        var bad = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[30]);
        Assert.Equal("refused", bad.Message);
        var ids = await Task.WhenAll(writes.Where((_, i) => i != 30));

        Assert.Equal(59, ids.Distinct().Count());
        await using var connection = await db.OpenAsync(CancellationToken.None);
        var stored = (await connection.QueryAsync<string>("SELECT text FROM announcements WHERE author = 'uji'")).ToList();
        Assert.Equal(texts.Where(t => t != "bad").Order(), stored.Order());
        Assert.True(failures >= 1);
    }

    [SkippableFact]
    public async Task QuestionsStoredTogetherTakeConsecutiveVersionsInOrder()
    {
        var (db, sessionId) = await SeedAsync();
        var store = new QuestionStore(db);
        await store.AskAsync(new NewQuestion(sessionId, "p0", "c0", null, "Pertama?", QuestionStatus.Approved), CancellationToken.None);

        var outcomes = await db.WriteAsync((connection, tx) => store.AskManyInAsync(connection, tx,
        [
            new NewQuestion(sessionId, "p1", "c1", null, "Satu?", QuestionStatus.Approved),
            new NewQuestion(sessionId, "p2", "c2", null, "Dua?", QuestionStatus.Pending),
            new NewQuestion(sessionId, "p1", "c1", null, "Satu?", QuestionStatus.Approved),
            new NewQuestion(sessionId, "p3", "c3", null, "Tiga?", QuestionStatus.Approved),
            new NewQuestion(sessionId, "p0", "c0", null, "Pertama?", QuestionStatus.Approved),
        ], CancellationToken.None), CancellationToken.None);

        // Public versions move only for public questions; moderator versions for every new one; repeats move nothing.
        Assert.Equal([true, true, false, true, false], outcomes.Select(o => o.Created));
        Assert.Equal(new SessionVersions(2, 2), outcomes[0].Versions);
        Assert.Equal(new SessionVersions(2, 3), outcomes[1].Versions);
        Assert.Equal(outcomes[0].Question.Id, outcomes[2].Question.Id);
        Assert.Equal(new SessionVersions(3, 4), outcomes[3].Versions);
        Assert.Equal("Pertama?", outcomes[4].Question.Text);
        var session = (await store.ReadSessionAsync(sessionId, "p1", everyQuestion: true, CancellationToken.None))!.Session;
        Assert.Equal((3L, 4L), (session.Version, session.ModVersion));
        Assert.Equal(4, await store.CountAsync(sessionId, CancellationToken.None));
    }

    [SkippableFact]
    public async Task AVoteCheckedAgainstAnEarlierOpeningIsNotStored()
    {
        var (db, sessionId) = await SeedAsync();
        await using var store = new PollStore(db);
        var poll = (await store.CreateAsync(sessionId, new PollDefinition("single", "Pilih", "[\"A\",\"B\"]", null, null, null, null, "live"), CancellationToken.None)).Poll;
        var opened = (await store.OpenAsync(poll.Id, CancellationToken.None))!.Poll;
        await store.CloseAsync(poll.Id, CancellationToken.None);
        await Task.Delay(5);
        var reopened = (await store.OpenAsync(poll.Id, CancellationToken.None))!.Poll;
        Assert.NotEqual(opened.OpenedAt, reopened.OpenedAt);

        NewVote Vote(string clientId) => new(poll.Id, "p1", clientId, null, null, VoteStatus.Counted, [(1, 1)], [], null, 0, 10);
        Assert.Equal(CastResult.Stale, (await store.CastAsync(Vote("x"), new VoteWindow(opened.OpenedAt, null), CancellationToken.None)).Result);
        // Nothing was kept: the same request validated against the current opening is stored.
        Assert.Equal(CastResult.Stored, (await store.CastAsync(Vote("x"), new VoteWindow(reopened.OpenedAt, null), CancellationToken.None)).Result);
        // A quiz answer past its deadline is refused, and a resend of a stored request still answers as stored.
        Assert.Equal(CastResult.TooLate, (await store.CastAsync(Vote("y"), new VoteWindow(reopened.OpenedAt, db.NowMs() - 1), CancellationToken.None)).Result);
        Assert.Equal(CastResult.Repeated, (await store.CastAsync(Vote("x"), new VoteWindow(reopened.OpenedAt, db.NowMs() - 1), CancellationToken.None)).Result);
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

    /// <summary>
    /// The write gate queues SQLite's writers in this process: a write on a connection of its own would skip it. Such a
    /// connection cannot write, so every store method this suite runs proves it writes through <see cref="Database.WriteAsync{T}"/>.
    /// </summary>
    [Fact]
    public async Task AConnectionOpenedForReadingCannotWrite()
    {
        var db = await DatabaseAsync();
        await using var connection = await db.OpenAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO participants (id, created_at) VALUES ('outside-the-gate', 0)"));

        Assert.Equal(8, refused.SqliteErrorCode); // SQLITE_READONLY
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM participants WHERE id = 'outside-the-gate'"));
    }

    [Fact]
    public async Task ThePassiveCheckpointCopiesTheWalIntoTheDatabaseFile()
    {
        var db = (SqliteDatabase)await DatabaseAsync();
        var store = new QuestionStore(db);
        var session = (await new EventStore(db).CreateAsync(new NewEvent(LiveHub.Events.JoinCode.New(), "Uji", null, null, null, "Asia/Makassar", "id", ["id"], null, null, "hash",
            [new NewRoom("hall", "Aula", 10, LiveHub.Events.JoinCode.New())],
            [new NewSession("s", "hall", "Sesi", "keynote", [], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1), null, "open")]), CancellationToken.None));
        var sessionId = (await new EventStore(db).ListSessionsAsync(session, CancellationToken.None)).Single().Id;
        for (var i = 0; i < 20; i++)
        {
            await store.AskAsync(new NewQuestion(sessionId, $"p{i}", $"c{i}", null, $"Pertanyaan {i}?", QuestionStatus.Approved), CancellationToken.None);
        }

        var (walPages, copied) = await db.CheckpointAsync(CancellationToken.None);

        Assert.True(walPages > 0, "the writes went to the WAL");
        Assert.Equal(walPages, copied);
        Assert.Equal(20, await store.CountAsync(sessionId, CancellationToken.None));
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
