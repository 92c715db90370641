using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using LiveHub.Data;
using LiveHub.Data.Admin;
using LiveHub.Data.Events;
using LiveHub.Data.Export;
using LiveHub.Data.Moderation;
using LiveHub.Data.Polls;
using LiveHub.Data.Questions;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.ScaleOut;

// Every public method of every store runs here, on both engines: a statement one engine refuses fails its suite.
public abstract partial class StoreContractTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private sealed record Seeded(Database Db, long EventId, string Code, long RoomId, long SessionId);

    private async Task<Seeded> SeedEventAsync()
    {
        var (db, sessionId) = await SeedAsync();
        var session = (await new EventStore(db).FindSessionAsync(sessionId, None))!;
        var e = (await new EventStore(db).FindAsync(session.EventId, None))!;
        return new Seeded(db, e.Id, e.Code, session.RoomId, sessionId);
    }

    [SkippableFact]
    public async Task EventsRoomsAndSessionsAreFoundListedAndCounted()
    {
        var s = await SeedEventAsync();
        var events = new EventStore(s.Db);

        Assert.True(await events.CountAsync(None) >= 1);
        Assert.Equal(s.Code, (await events.FindByCodeAsync(s.Code, None))!.Code);
        Assert.Contains(await events.ListAsync(None), e => e.Id == s.EventId);
        Assert.Null(await events.FindAsync(-1, None));
        var room = (await events.ListRoomsAsync(s.EventId, None)).Single();
        Assert.Equal(room.Id, (await events.FindRoomByCodeAsync(room.Code!, None))!.Id);
        Assert.Equal(s.SessionId, (await events.ListSessionsAsync(s.EventId, None)).Single().Id);
        Assert.Equal("Sesi", (await events.FindSessionAsync(s.SessionId, None))!.Title);
    }

    [SkippableFact]
    public async Task RoomsWithoutACodeGetOne()
    {
        var s = await SeedEventAsync();
        var events = new EventStore(s.Db);
        await s.Db.WriteAsync((connection, tx) => connection.ExecuteAsync(
            "UPDATE rooms SET code = NULL WHERE id = @RoomId", new { s.RoomId }, tx), None);

        var code = LiveHub.Events.JoinCode.New();
        await events.EnsureRoomCodesAsync(() => code, None);

        Assert.Equal(code, (await events.FindRoomByCodeAsync(code, None))!.Code);
    }

    [SkippableFact]
    public async Task ProfanityWordsStatusAndModerationAreStoredOnTheEventAndSession()
    {
        var s = await SeedEventAsync();
        var events = new EventStore(s.Db);

        Assert.True(await events.SetProfanityWordsAsync(s.EventId, "satu\ndua", None));
        Assert.False(await events.SetProfanityWordsAsync(-1, null, None));
        Assert.True(await events.SetStatusOverrideAsync(s.SessionId, "live", None));
        Assert.False(await events.SetStatusOverrideAsync(-1, "live", None));
        var moderation = await events.SetModerationAsync(s.SessionId, "pre", None);
        Assert.Null(await events.SetModerationAsync(-1, "pre", None));

        Assert.Equal("satu\ndua", (await events.FindAsync(s.EventId, None))!.ProfanityWords);
        var session = (await events.FindSessionAsync(s.SessionId, None))!;
        Assert.Equal(("live", "pre"), (session.StatusOverride, session.Moderation));
        // The status travels on an unversioned event of its own: only the moderation mode moved the versions.
        Assert.Equal(new SessionVersions(1, 1), moderation);
        Assert.Equal((1L, 1L), (session.Version, session.ModVersion));
    }

    [SkippableFact]
    public async Task TheOrganizerAddsEditsAndDeletesRoomsAndSessions()
    {
        var s = await SeedEventAsync();
        var admin = new AdminStore(s.Db);

        var room = (await admin.AddRoomAsync(s.EventId, new RoomWrite("side", "Ruang Samping", 40), LiveHub.Events.JoinCode.New(), None))!;
        Assert.Null(await admin.AddRoomAsync(s.EventId, new RoomWrite("side", "Lagi", null), LiveHub.Events.JoinCode.New(), None));
        var renamed = (await admin.UpdateRoomAsync(s.EventId, "side", "Ruang Kecil", 20, None))!;
        Assert.Equal(("Ruang Kecil", (long?)20), (renamed.Name, renamed.Capacity));
        Assert.Null(await admin.UpdateRoomAsync(s.EventId, "nowhere", "X", null, None));

        var write = new SessionWrite(room.Id, "late", "Malam", "talk", "A\nB", 1_000, 2_000, null, "open");
        var session = (await admin.AddSessionAsync(s.EventId, write, None))!;
        Assert.Null(await admin.AddSessionAsync(s.EventId, write, None));
        var updated = (await admin.UpdateSessionAsync(session.Id, write with { Title = "Malam Hari" }, None))!.Value;
        Assert.Equal(("Malam", "Malam Hari"), (updated.Before.Title, updated.After.Title));
        Assert.Equal(new SessionVersions(1, 1), updated.Versions);
        Assert.Null(await admin.UpdateSessionAsync(-1, write, None));

        Assert.Equal(DeleteOutcome.InUse, await admin.DeleteRoomAsync(s.EventId, "side", None));
        Assert.Equal(DeleteOutcome.Deleted, await admin.DeleteSessionAsync(session.Id, None));
        Assert.Equal(DeleteOutcome.NotFound, await admin.DeleteSessionAsync(session.Id, None));
        Assert.Equal(DeleteOutcome.Deleted, await admin.DeleteRoomAsync(s.EventId, "side", None));
        Assert.Equal(DeleteOutcome.NotFound, await admin.DeleteRoomAsync(s.EventId, "side", None));

        await new QuestionStore(s.Db).AskAsync(new NewQuestion(s.SessionId, "p", "c", null, "Dipakai?", QuestionStatus.Pending), None);
        Assert.Equal(DeleteOutcome.InUse, await admin.DeleteSessionAsync(s.SessionId, None));
    }

    [SkippableFact]
    public async Task DeletingAnEventRemovesItsRowsAndItsOwnParticipantsInOneWrite()
    {
        var s = await SeedEventAsync();
        var admin = new AdminStore(s.Db);
        await new QuestionStore(s.Db).AskAsync(new NewQuestion(s.SessionId, "only-here", "c", "Ani", "Dihapus?", QuestionStatus.Approved), None);
        await new AnnouncementStore(s.Db).AddAsync(s.EventId, s.RoomId, "Ruang penuh", "Panitia", None);
        await new ModerationLogStore(s.Db).AppendAsync(new AuditEntry { EventId = s.EventId, Actor = "Budi", Action = "approve", At = 1 }, None);
        await new ReactionStore(s.Db).AddAsync(s.SessionId, new Dictionary<string, long> { ["clap"] = 2 }, None);

        var deleted = (await admin.DeleteEventAsync(s.EventId, None))!;
        Assert.Equal((s.EventId, 1, 1, 1), (deleted.EventId, deleted.Questions, deleted.Announcements, deleted.Participants));
        Assert.Contains(s.SessionId, deleted.SessionIds);
        Assert.Null(await admin.DeleteEventAsync(s.EventId, None));
        Assert.Null(await new EventStore(s.Db).FindAsync(s.EventId, None));
        await using var connection = await s.Db.OpenAsync(None);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("""
            SELECT (SELECT COUNT(*) FROM participants WHERE id = 'only-here') + (SELECT COUNT(*) FROM sessions WHERE event_id = @EventId)
                 + (SELECT COUNT(*) FROM rooms WHERE event_id = @EventId) + (SELECT COUNT(*) FROM moderation_log WHERE event_id = @EventId)
                 + (SELECT COUNT(*) FROM reaction_counts WHERE session_id = @SessionId)
            """, new { s.EventId, s.SessionId }));
    }

    [SkippableFact]
    public async Task AnEventEditRetimesItsSessionsAndARotatedPasscodeReplacesTheStamp()
    {
        var s = await SeedEventAsync();
        var admin = new AdminStore(s.Db);
        var events = new EventStore(s.Db);
        var before = (await events.FindAsync(s.EventId, None))!;

        Assert.True(await admin.UpdateEventAsync(s.EventId, new EventEdit("Baru", "Tema", null, "Kupang", "Asia/Jakarta", "en", true),
            [new SessionTimes(s.SessionId, 5_000, 6_000)], None));
        Assert.False(await admin.UpdateEventAsync(-1, new EventEdit("X", null, null, null, "UTC", "id", false), [], None));
        Assert.True(await admin.RotatePasscodeAsync(s.EventId, "new-hash", "new-stamp", None));
        Assert.False(await admin.RotatePasscodeAsync(-1, "h", "s", None));

        var after = (await events.FindAsync(s.EventId, None))!;
        Assert.Equal(("Baru", "Asia/Jakarta", "new-hash", "new-stamp"), (after.Name, after.TimeZone, after.ModeratorPasscodeHash, after.PasscodeStamp));
        Assert.NotEqual(before.PasscodeStamp, after.PasscodeStamp);
        var session = (await events.FindSessionAsync(s.SessionId, None))!;
        Assert.Equal((5_000L, 6_000L, 1L), (session.StartsAt, session.EndsAt, session.Version));
    }

    [SkippableFact]
    public async Task QuestionsAreFoundEditedRepliedAndLabeled()
    {
        var s = await SeedEventAsync();
        var store = new QuestionStore(s.Db);
        var asked = await store.AskAsync(new NewQuestion(s.SessionId, "p", "c1", "Ani", "Salah ketk?", QuestionStatus.Approved), None);
        store.Asked(asked);
        var q = asked.Question;

        Assert.Equal(q.Id, (await store.FindAsync(q.Id, None))!.Id);
        Assert.Equal(q.Id, (await store.FindByClientIdAsync("p", "c1", None))!.Id);
        Assert.Null(await store.FindByClientIdAsync("p", "other", None));
        var edited = (await store.EditAsync(s.SessionId, q.Id, "Salah ketik?", None))!;
        var replied = (await store.ReplyAsync(s.SessionId, q.Id, "Sudah dijawab.", None))!;
        var labeled = (await store.LabelAsync(s.SessionId, q.Id, "dana,desa", None))!;
        Assert.Null(await store.EditAsync(s.SessionId + 1_000, q.Id, "x", None));

        Assert.Equal("Salah ketik?", edited.After.Text);
        Assert.Equal("Sudah dijawab.", replied.After.Reply);
        // Labels are for moderators only: the public version stays.
        Assert.Equal(replied.Versions.Version, labeled.Versions.Version);
        Assert.Equal(replied.Versions.ModVersion + 1, labeled.Versions.ModVersion);
        var stored = (await store.FindAsync(q.Id, None))!;
        Assert.Equal(("Salah ketik?", "Sudah dijawab.", "dana,desa"), (stored.Text, stored.Reply, stored.Labels));
        Assert.NotNull(stored.RepliedAt);
    }

    [SkippableFact]
    public async Task AFlushReadsTheCountsOfSeveralQuestionsAndMovesTheVersions()
    {
        var s = await SeedEventAsync();
        var store = new QuestionStore(s.Db);
        var a = (await store.AskAsync(new NewQuestion(s.SessionId, "pa", "a", null, "Satu?", QuestionStatus.Approved), None)).Question;
        var b = (await store.AskAsync(new NewQuestion(s.SessionId, "pb", "b", null, "Dua?", QuestionStatus.Approved), None)).Question;
        var hidden = (await store.AskAsync(new NewQuestion(s.SessionId, "pc", "c", null, "Tiga?", QuestionStatus.Pending), None)).Question;
        foreach (var who in new[] { "u1", "u2" })
        {
            await store.UpvoteAsync(a.Id, who, true, None);
        }
        await store.UpvoteAsync(b.Id, "u1", true, None);

        var (versions, counts, publicIds) = await store.FlushUpvotesAsync(s.SessionId, [a.Id, b.Id, hidden.Id], toRoom: true, None);

        Assert.Equal([(a.Id, 2L), (b.Id, 1L), (hidden.Id, 0L)], counts.OrderBy(c => c.QuestionId).Select(c => (c.QuestionId, c.Upvotes)));
        Assert.Equal(new HashSet<long> { a.Id, b.Id }, publicIds);
        Assert.Equal(new SessionVersions(3, 4), versions);
        var (_, none, _) = await store.FlushUpvotesAsync(s.SessionId, [hidden.Id + 1_000], toRoom: true, None);
        Assert.Empty(none);

        // Counts for moderators only: the room's version stays, so the room's stream has no gap when its frame comes later.
        await store.UpvoteAsync(a.Id, "u3", true, None);
        var (modOnly, modCounts, noPublic) = await store.FlushUpvotesAsync(s.SessionId, [a.Id], toRoom: false, None);
        Assert.Equal([(a.Id, 3L)], modCounts.Select(c => (c.QuestionId, c.Upvotes)));
        Assert.Empty(noPublic);
        Assert.Equal(versions.Version, modOnly.Version);
        Assert.True(modOnly.ModVersion > versions.ModVersion);
    }

    [SkippableFact]
    public async Task PollDraftsAreEditedListedDeletedAndReset()
    {
        var s = await SeedEventAsync();
        await using var store = new PollStore(s.Db);
        var definition = new PollDefinition("single", "Pilih", "[\"A\",\"B\"]", null, null, null, null, "live");
        var poll = (await store.CreateAsync(s.SessionId, definition, None)).Poll;
        var second = (await store.CreateAsync(s.SessionId, definition with { Question = "Kedua" }, None)).Poll;

        Assert.Equal("Ubah", (await store.UpdateDraftAsync(poll.Id, definition with { Question = "Ubah" }, None))!.Poll.Question);
        Assert.Equal([poll.Id, second.Id], (await store.ListAsync(s.SessionId, None)).Select(p => p.Id));
        Assert.Equal("Ubah", (await store.FindAsync(poll.Id, None))!.Question);

        await store.OpenAsync(poll.Id, None);
        Assert.Null(await store.UpdateDraftAsync(poll.Id, definition, None));
        Assert.Null(await store.DeleteAsync(poll.Id, None));
        Assert.Equal(CastResult.Stored, (await store.CastAsync(Vote(poll.Id, "p1", "v1", 0), null, None)).Result);
        Assert.Equal(1, (await store.RevealAsync(poll.Id, true, None))!.Poll.Revealed);

        var reset = (await store.ResetAsync(poll.Id, None))!;
        Assert.Equal((PollStatus.Draft, 0L), (reset.Poll.Status, reset.Poll.Revealed));
        Assert.Equal(0, (await store.TallyAsync(poll.Id, advance: false, None))!.Voters);
        Assert.Null(await store.ResetAsync(-1, None));
        Assert.Equal(second.Id, (await store.DeleteAsync(second.Id, None))!.Poll.Id);
        Assert.Null(await store.FindAsync(second.Id, None));
    }

    [SkippableFact]
    public async Task VotesAreFoundAgainListedPerVoterAndOpenTextAnswersModerated()
    {
        var s = await SeedEventAsync();
        await using var store = new PollStore(s.Db);
        var choice = (await store.CreateAsync(s.SessionId, new PollDefinition("single", "Pilih", "[\"A\",\"B\"]", null, null, null, 30, "live"), None)).Poll;
        var text = (await store.CreateAsync(s.SessionId, new PollDefinition("text", "Pendapat?", "[]", null, null, null, null, "live"), None)).Poll;
        await store.OpenAsync(choice.Id, None);
        await store.OpenAsync(text.Id, None);

        await store.CastAsync(Vote(choice.Id, "p1", "v1", 1), null, None);
        var answer = (await store.CastAsync(new NewVote(text.Id, "p1", "t1", "Ani", "Bagus", VoteStatus.Pending, [], [], null, 0, null), null, None)).Vote!;

        Assert.Equal(1, (await store.FindAppliedAsync(choice.Id, "p1", "v1", None))!.Choices.Single().OptionIndex);
        Assert.Null(await store.FindAppliedAsync(choice.Id, "p1", "never", None));
        Assert.Equal(new[] { choice.Id, text.Id }.Order(), (await store.ListVotesOfAsync(s.SessionId, "p1", None)).Select(v => v.Vote.PollId).Order());
        Assert.Empty(await store.ListVotesOfAsync(s.SessionId, "nobody", None));
        Assert.Equal([choice.Id], (await store.ListOpenTimedAsync(None)).Where(p => p.SessionId == s.SessionId).Select(p => p.Id));
        Assert.Equal(VoteStatus.Approved, (await store.ModerateAnswerAsync(text.Id, answer.Vote.Id, VoteStatus.Approved, None))!.Status);
        Assert.Null(await store.ModerateAnswerAsync(choice.Id, answer.Vote.Id, VoteStatus.Approved, None));
        Assert.Equal("Bagus", (await new ExportStore(s.Db).ListApprovedAnswersAsync(text.Id, None)).Single().Text);
    }

    [SkippableFact]
    public async Task TheProjectorShowsAPollAndMovesThePublicVersion()
    {
        var s = await SeedEventAsync();
        await using var store = new PollStore(s.Db);
        var poll = (await store.CreateAsync(s.SessionId, new PollDefinition("single", "Pilih", "[\"A\",\"B\"]", null, null, null, null, "live"), None)).Poll;

        var versions = (await store.SetProjectorAsync(s.SessionId, "poll", poll.Id, true, None))!;
        Assert.Null(await store.SetProjectorAsync(-1, "idle", null, null, None));

        var session = (await new EventStore(s.Db).FindSessionAsync(s.SessionId, None))!;
        Assert.Equal(("poll", (long?)poll.Id, 1L), (session.ProjectorMode, session.ProjectorPollId, session.ProjectorPresence));
        Assert.Equal(new SessionVersions(1, 2), versions);
    }

    [SkippableFact]
    public async Task AnnouncementsAreAddedListedAndDeleted()
    {
        var s = await SeedEventAsync();
        var store = new AnnouncementStore(s.Db);

        var first = await store.AddAsync(s.EventId, null, "Makan siang", "Panitia", None);
        var second = await store.AddAsync(s.EventId, s.RoomId, "Ruang penuh", "Panitia", None);
        Assert.Equal([second.Id, first.Id], (await store.ListAsync(s.EventId, 10, None)).Select(a => a.Id));
        Assert.Equal(first.Id, (await store.DeleteAsync(s.EventId, first.Id, None))!.Id);
        Assert.Null(await store.DeleteAsync(s.EventId, first.Id, None));
        Assert.Equal([second.Id], (await store.ListAsync(s.EventId, 10, None)).Select(a => a.Id));
    }

    [SkippableFact]
    public async Task TheAuditLogAppendsAloneOrInsideAWrite()
    {
        var s = await SeedEventAsync();
        var log = new ModerationLogStore(s.Db);

        await log.AppendAsync(new AuditEntry { EventId = s.EventId, Actor = "Ani", Action = "profanity-list", At = 1 }, None);
        await s.Db.WriteAsync((connection, tx) => ModerationLogStore.AppendAsync(connection, tx,
            new AuditEntry { EventId = s.EventId, SessionId = s.SessionId, Actor = "Budi", Action = "approve", At = 2 }, None), None);

        Assert.Equal(["Budi", "Ani"], (await log.ListAsync(s.EventId, null, 10, None)).Select(e => e.Actor));
        Assert.Equal(["Budi"], (await log.ListAsync(s.EventId, s.SessionId, 10, None)).Select(e => e.Actor));
    }

    [SkippableFact]
    public async Task ReactionTotalsAreAddedUp()
    {
        var s = await SeedEventAsync();
        var store = new ReactionStore(s.Db);

        await store.AddAsync(s.SessionId, new Dictionary<string, long> { ["clap"] = 3, ["heart"] = 1 }, None);
        await store.AddAsync(s.SessionId, new Dictionary<string, long> { ["clap"] = 2 }, None);

        var totals = await store.TotalsAsync(s.SessionId, None);
        Assert.Equal((5L, 1L), (totals["clap"], totals["heart"]));
    }

    [SkippableFact]
    public async Task ExportsReadAnEventsQuestionsAndKeepOneExportKey()
    {
        var s = await SeedEventAsync();
        var store = new ExportStore(s.Db);
        await new QuestionStore(s.Db).AskAsync(new NewQuestion(s.SessionId, "p", "c", "Ani", "Ekspor?", QuestionStatus.Approved), None);

        Assert.Equal("Ekspor?", (await store.ListEventQuestionsAsync(s.EventId, None)).Single().Text);
        Assert.Equal("Ekspor?", (await store.ListSessionQuestionsAsync(s.SessionId, None)).Single().Text);
        var key = await store.EnsureExportKeyAsync(s.EventId, "first", None);
        Assert.Equal(("first", "first"), (key, await store.EnsureExportKeyAsync(s.EventId, "second", None)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.EnsureExportKeyAsync(-1, "x", None));
    }

    /// <summary>A store method added later fails this until the suite runs it on both engines.</summary>
    [Fact]
    public void EveryPublicMethodOfEveryStoreRunsInThisSuite()
    {
        var source = string.Concat(Directory.GetFiles(Path.Combine(Repo.Root, "tests", "LiveHub.Tests", "ScaleOut"), "StoreContractTests*.cs")
            .Select(File.ReadAllText));
        var methods = typeof(Database).Assembly.GetTypes()
            .Where(t => t.IsPublic && t.Name.EndsWith("Store", StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => !m.IsSpecialName && m.Name != nameof(IAsyncDisposable.DisposeAsync))
                .Select(m => $"{t.Name}.{m.Name}"))
            .Distinct()
            .ToList();
        Assert.NotEmpty(methods);

        var missing = methods.Where(m => !Regex.IsMatch(source, $@"\.{Regex.Escape(m.Split('.')[1])}\(")).ToList();
        Assert.True(missing.Count == 0, $"Not run by the store contract suite: {string.Join(", ", missing)}");
    }

    private static NewVote Vote(long pollId, string who, string clientId, int option) =>
        new(pollId, who, clientId, null, null, VoteStatus.Counted, [(option, 1)], [], null, 0, 10);
}
