using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using LiveHub.Admin;
using LiveHub.Announcements;
using LiveHub.Data;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Reactions;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using LiveHub.Tests.ScaleOut;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveHub.Tests.Faults;

/// <summary>
/// The organizer deletes an event: every row of it goes from every table in one transaction, on both engines, with the
/// participants who took part only in it; a participant shared with another event and that other event stay as they were.
/// Open screens are told, later calls answer <c>not_found</c>, and a request without the typed code, from anyone but the
/// organizer or from another origin deletes nothing.
/// </summary>
public sealed class EventDeletionTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    /// <summary>Typed into every text of the deleted event: none of it may be found anywhere afterwards.</summary>
    private const string Marker = "HAPUSTANDA";

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["LiveHub:Admin:Key"] = AdminServerFixture.AdminKey,
        ["LiveHub:Admin:SignInAttemptsPerMinute"] = "10000",
        ["LiveHub:Web:SignInAttemptsPerMinute"] = "10000",
        ["Logging:LogLevel:LiveHub.Admin.AdminService"] = "Information",
    };

    /// <summary>Every table of both migration folders, and how to find an event's rows in it. A new table fails the test until it is added here.</summary>
    private static readonly string[] EventTables =
    [
        "events", "rooms", "sessions", "questions", "upvotes", "polls", "votes", "vote_choices", "vote_words", "vote_requests",
        "announcements", "reaction_counts", "moderation_log", "agenda_changes",
    ];

    [SkippableTheory, OnBothEngines]
    public async Task DeletingAnEventRemovesEveryRowOfItAndItsOwnParticipantsAndLeavesTheOtherEventAndTheSharedParticipant(string engine)
    {
        var log = new LogCapture();
        await using var server = await postgres.StartAsync(engine, Settings, s => s.AddSingleton<ILoggerProvider>(log));
        var db = server.Services.GetRequiredService<Database>();
        var a = await server.CreateEventAsync(ModerationModes.Open);
        var b = await server.CreateEventAsync(ModerationModes.Open);
        using var organizer = await AdminHttp.SignInAsync(server);
        // A name of its own, so its page can be told from the other event's.
        (await organizer.Http.PutAsJsonAsync($"/api/admin/events/{a.Code}", new { name = $"{Marker} Konferensi" })).EnsureSuccessStatusCode();
        Assert.Contains(Marker, await organizer.Http.GetStringAsync($"/e/{a.Code}"));

        await using var moderator = await TestClient.ConnectAsync(server, moderatorOf: a.Code, moderatorName: $"{Marker} Moderator");
        await using var anonymous = await TestClient.ConnectAsync(server);
        await using var named = await TestClient.ConnectAsync(server);
        await using var shared = await TestClient.ConnectAsync(server);
        await using var otherModerator = await TestClient.ConnectAsync(server, moderatorOf: b.Code);
        await using var otherPhone = await TestClient.ConnectAsync(server);
        foreach (var client in new[] { moderator, anonymous, named, shared })
        {
            await client.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), a.Code);
            await client.JoinAsync(a.Keynote, client == moderator ? SessionViews.Moderator : SessionViews.Audience);
        }
        await otherPhone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), b.Code);
        await otherModerator.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), b.Code);

        // The event to delete: anonymous and named questions, upvotes, a poll of every kind with votes, an announcement,
        // reactions and the moderation log these leave.
        var anonymousQuestion = await anonymous.AskAsync(a.Keynote, $"{Marker} tanpa nama?");
        var namedQuestion = await named.AskAsync(a.Keynote, $"{Marker} dengan nama?", name: $"{Marker} Ani");
        await named.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(anonymousQuestion.Id, true));
        await shared.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(namedQuestion.Id, true));
        await moderator.ModerateAsync(a.Keynote, namedQuestion.Id, ModerationActions.Answer);
        var polls = new Dictionary<string, PollView>();
        foreach (var kind in PollKinds.All)
        {
            var draft = kind switch
            {
                PollKinds.Single => new PollDraftRequest(a.Keynote, kind, $"{Marker} satu?", ["A", "B"], null, null, null, null, null),
                PollKinds.Multiple => new PollDraftRequest(a.Keynote, kind, $"{Marker} banyak?", ["A", "B", "C"], 2, null, null, null, null),
                PollKinds.Rating => new PollDraftRequest(a.Keynote, kind, $"{Marker} nilai?", null, null, 5, null, null, null),
                PollKinds.Ranking => new PollDraftRequest(a.Keynote, kind, $"{Marker} urutan?", ["A", "B", "C"], null, null, null, null, null),
                PollKinds.Quiz => new PollDraftRequest(a.Keynote, kind, $"{Marker} kuis?", ["A", "B"], null, null, [0], 60, PollVisibility.Live),
                _ => new PollDraftRequest(a.Keynote, kind, $"{Marker} kata?", null, null, null, null, null, null),
            };
            var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), draft);
            polls[kind] = await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        }
        foreach (var (voter, n) in new[] { (anonymous, 1), (named, 2) })
        {
            foreach (var (kind, poll) in polls)
            {
                var vote = kind switch
                {
                    PollKinds.Single or PollKinds.Quiz => new CastVoteRequest(poll.Id, $"v{n}-{kind}", [0], null, null, null, null),
                    PollKinds.Multiple => new CastVoteRequest(poll.Id, $"v{n}-{kind}", [0, 2], null, null, null, null),
                    PollKinds.Rating => new CastVoteRequest(poll.Id, $"v{n}-{kind}", null, 4, null, null, null),
                    PollKinds.Ranking => new CastVoteRequest(poll.Id, $"v{n}-{kind}", null, null, [2, 0, 1], null, null),
                    PollKinds.WordCloud => new CastVoteRequest(poll.Id, $"v{n}-{kind}", null, null, null, $"{Marker.ToLowerInvariant()}{n}", null),
                    _ => new CastVoteRequest(poll.Id, $"v{n}-{kind}", null, null, null, $"{Marker} saran {n}", n == 2 ? $"{Marker} Budi" : null),
                };
                await voter.OkAsync<MyVote>(nameof(EventHub.CastVote), vote);
            }
        }
        await shared.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(polls[PollKinds.Single].Id, "shared-a", [1], null, null, null, null));
        await moderator.OkAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement), new PostAnnouncementRequest(a.Id, null, $"{Marker} pengumuman"));
        await anonymous.OkAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(a.Keynote, "clap"));
        await named.OkAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(a.Keynote, "heart"));
        await server.Services.GetRequiredService<ReactionService>().FlushAsync(CancellationToken.None);

        // The other event: the shared participant asks and votes there too, beside a participant of its own.
        var otherQuestion = await shared.AskAsync(b.Keynote, "Pertanyaan di acara lain?", name: "Citra");
        await otherPhone.AskAsync(b.Keynote, "Pertanyaan kedua di acara lain?");
        await otherPhone.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(otherQuestion.Id, true));
        var otherPoll = await otherModerator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(b.Keynote, PollKinds.WordCloud, "Satu kata?", null, null, null, null, null, null));
        await otherModerator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(otherPoll.Id));
        await shared.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(otherPoll.Id, "shared-b", null, null, null, "kupang", null));
        await otherPhone.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(otherPoll.Id, "other-b", null, null, null, "flores", null));
        await otherModerator.OkAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement), new PostAnnouncementRequest(b.Id, null, "Makan siang pukul 12.30"));
        await otherPhone.OkAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(b.Keynote, "clap"));
        await server.Services.GetRequiredService<ReactionService>().FlushAsync(CancellationToken.None);

        // Before: the event has rows in every table, and its people are known.
        var ids = await IdsOfAsync(db, a.Id);
        await TestClient.EventuallyAsync(() => CountRowsAsync(db, ids, "upvotes").Result == 2, "both upvotes stored");
        var tables = await TablesAsync(db);
        Assert.Equal(EventTables.Append("participants").Order(), tables.Order());
        foreach (var table in EventTables)
        {
            Assert.True(await CountRowsAsync(db, ids, table) > 0, $"the event has no {table} rows to delete: the test would prove nothing");
        }
        var participantsOfA = await ParticipantsOfAsync(db, a.Id);
        var participantsOfB = await ParticipantsOfAsync(db, b.Id);
        var sharedIds = participantsOfA.Intersect(participantsOfB).ToList();
        var orphans = participantsOfA.Except(participantsOfB).ToList();
        Assert.Single(sharedIds);
        Assert.Equal(2, orphans.Count);
        // What the ticking services still owe the store (upvote counts, reaction totals, results versions) is written now,
        // so the other event's rows change no more by themselves.
        await SettleAsync(server);
        var otherBefore = await FingerprintAsync(db, b.Id, participantsOfB);

        using var response = await DeleteAsync(organizer, a.Code, new { confirm = a.Code.ToLowerInvariant() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(a.Code, answer["code"]!.GetValue<string>());
        Assert.Equal(2, answer["questions"]!.GetValue<int>());
        Assert.Equal(2, answer["participants"]!.GetValue<int>());

        // Nothing of the event is left in any table, nor anywhere its text or its people could be.
        foreach (var table in EventTables)
        {
            Assert.True(await CountRowsAsync(db, ids, table) == 0, $"{table} still holds rows of the deleted event");
        }
        Assert.Equal(0, await CountAsync(db, $"SELECT COUNT(*) FROM participants WHERE {db.InList("id", "orphans")}", new { orphans = orphans.ToArray() }));
        Assert.Equal(1, await CountAsync(db, "SELECT COUNT(*) FROM participants WHERE id = @id", new { id = sharedIds[0] }));
        var everything = await DumpAsync(db, tables);
        Assert.DoesNotContain(Marker, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(a.Code, everything, StringComparison.Ordinal);
        foreach (var orphan in orphans)
        {
            Assert.DoesNotContain(orphan, everything, StringComparison.Ordinal);
        }
        await SettleAsync(server);
        Assert.Equal(otherBefore, await FingerprintAsync(db, b.Id, participantsOfB));
        if (db is SqliteDatabase sqlite)
        {
            // Nor in the file's free pages or the write-ahead log: SQLite overwrote what it deleted and emptied the log.
            foreach (var file in new[] { sqlite.SqlitePath, sqlite.SqlitePath + "-wal" }.Where(File.Exists))
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var bytes = new MemoryStream();
                await stream.CopyToAsync(bytes);
                var raw = Encoding.UTF8.GetString(bytes.ToArray());
                Assert.False(raw.Contains(Marker, StringComparison.OrdinalIgnoreCase), $"{Path.GetFileName(file)} still holds the deleted event's text");
            }
        }

        // Every screen of the event was told, in the error it shows; the other event's screens were not.
        foreach (var client in new[] { moderator, anonymous, named, shared })
        {
            var notice = await TestClient.EventuallyValueAsync(() => client.Received
                .Where(r => r.Name == nameof(ILiveClient.EventDeleted)).Select(r => (EventDeletedNotice)r.Payload).FirstOrDefault());
            Assert.Equal((a.Id, a.Code, ErrorCodes.NotFound, "error.not_found.event_deleted"),
                (notice.EventId, notice.Code, notice.Error.Code, notice.Error.MessageKey));
        }
        Assert.DoesNotContain(otherPhone.Received, r => r.Name == nameof(ILiveClient.EventDeleted));
        Assert.DoesNotContain(otherModerator.Received, r => r.Name == nameof(ILiveClient.EventDeleted));

        // Later calls about it answer not_found; its pages no longer carry its name.
        await ExpectNotFoundAsync(anonymous.InvokeAsync<EventSnapshot>(nameof(EventHub.JoinEvent), a.Code), "JoinEvent");
        await ExpectNotFoundAsync(anonymous.InvokeAsync<SessionSnapshot>(nameof(EventHub.JoinSession), a.Keynote, SessionViews.Audience), "JoinSession");
        await ExpectNotFoundAsync(anonymous.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), new AskQuestionRequest(a.Keynote, "late", "Masih ada?", null)), "AskQuestion");
        await ExpectNotFoundAsync(named.InvokeAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(anonymousQuestion.Id, false)), "Upvote");
        await ExpectNotFoundAsync(shared.InvokeAsync<MyVote>(nameof(EventHub.CastVote),
            new CastVoteRequest(polls[PollKinds.Multiple].Id, "late-vote", [1], null, null, null, null)), "CastVote");
        await ExpectNotFoundAsync(anonymous.InvokeAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(a.Keynote, "clap")), "SendReaction");
        // The moderator's sign-in named the event, which is gone: it moderates nothing now, so moderator-only calls answer
        // forbidden, as for anyone who is not a moderator (only a moderator of an event that exists learns what does not).
        await ExpectErrorAsync(moderator.InvokeAsync<QuestionView>(nameof(EventHub.ModerateQuestion),
            new ModerateQuestionRequest(a.Keynote, namedQuestion.Id, ModerationActions.Archive)), "ModerateQuestion", ErrorCodes.Forbidden);
        await ExpectErrorAsync(moderator.InvokeAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement), new PostAnnouncementRequest(a.Id, null, "Masih ada?")),
            "PostAnnouncement", ErrorCodes.Forbidden);
        await ExpectErrorAsync(moderator.InvokeAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(polls[PollKinds.Rating].Id)), "OpenPoll", ErrorCodes.Forbidden);
        await ExpectNotFoundAsync(moderator.InvokeAsync<EventSnapshot>(nameof(EventHub.JoinEvent), a.Code), "JoinEvent as its moderator");
        using var anyone = AdminHttp.Anonymous(server);
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.Http.GetAsync($"/api/events/{a.Code}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.Http.GetAsync($"/e/{a.Code}/app.webmanifest")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await organizer.Http.GetAsync($"/api/admin/events/{a.Code}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await organizer.Http.GetAsync($"/api/admin/events/{a.Code}/scenario.json")).StatusCode);
        using (var again = await DeleteAsync(organizer, a.Code, new { confirm = a.Code }))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
            Assert.Equal("error.not_found.event", JsonNode.Parse(await again.Content.ReadAsStringAsync())!["messageKey"]!.GetValue<string>());
        }
        Assert.DoesNotContain(Marker, await anyone.Http.GetStringAsync($"/e/{a.Code}"));
        Assert.DoesNotContain((await organizer.Http.GetFromJsonAsync<JsonArray>("/api/admin/events"))!, e => e!["code"]!.GetValue<string>() == a.Code);

        // The other event goes on; a participant deleted with the event is stored again at its next write.
        await otherPhone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), b.Code);
        await shared.AskAsync(b.Keynote, "Masih bisa bertanya?");
        await anonymous.AskAsync(b.Keynote, "Saya baru di acara ini?");
        Assert.Equal(1, await CountAsync(db, "SELECT COUNT(*) FROM participants WHERE id = @id",
            new { id = await ScalarAsync<string>(db, "SELECT participant_id FROM questions WHERE text = 'Saya baru di acara ini?'") }));

        // The application log records the deletion in counts, without anyone's text or name.
        var logged = Assert.Single(log.Messages, m => m.Message.Contains($"deleted event {a.Id}", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.DoesNotContain(Marker, string.Join("\n", log.Messages.Select(m => m.Message)), StringComparison.OrdinalIgnoreCase);
    }

    [SkippableTheory, OnBothEngines]
    public async Task WithoutTheTypedCodeFromAnyoneButTheOrganizerOrFromAnotherOriginNothingIsDeleted(string engine)
    {
        await using var server = await postgres.StartAsync(engine, Settings);
        var db = server.Services.GetRequiredService<Database>();
        var a = await server.CreateEventAsync(ModerationModes.Open);
        var b = await server.CreateEventAsync(ModerationModes.Open);
        await using var phone = await TestClient.ConnectAsync(server);
        await phone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), a.Code);
        await phone.AskAsync(a.Keynote, "Tetap ada?");
        var tables = await TablesAsync(db);
        var before = await DumpAsync(db, tables);

        using var organizer = await AdminHttp.SignInAsync(server);
        using var anonymous = AdminHttp.Anonymous(server);
        using var moderator = AdminHttp.Anonymous(server);
        (await moderator.Http.PostAsJsonAsync($"/api/events/{a.Code}/moderator/session", new { passcode = LiveHubServer.Passcode })).EnsureSuccessStatusCode();
        var foreignOrigin = $"http://{server.BaseUri.Host}:1";

        var attempts = new (string What, AdminHttp Client, HttpContent? Body, string? Origin, HttpStatusCode Status, string MessageKey)[]
        {
            ("no body", organizer, null, null, HttpStatusCode.BadRequest, "error.invalid.confirm"),
            ("an empty JSON body", organizer, Json("{}"), null, HttpStatusCode.BadRequest, "error.invalid.confirm"),
            ("another event's code", organizer, Json($$"""{"confirm":"{{b.Code}}"}"""), null, HttpStatusCode.BadRequest, "error.invalid.confirm"),
            ("the code misspelt", organizer, Json($$"""{"confirm":"{{a.Code[..5]}}"}"""), null, HttpStatusCode.BadRequest, "error.invalid.confirm"),
            ("broken JSON", organizer, Json($$"""{"confirm":"{{a.Code}}" """), null, HttpStatusCode.BadRequest, "error.invalid.confirm"),
            ("a form", organizer, new FormUrlEncodedContent(new Dictionary<string, string> { ["confirm"] = a.Code }), null, HttpStatusCode.UnsupportedMediaType, "error.invalid.content_type"),
            ("another origin", organizer, Json($$"""{"confirm":"{{a.Code}}"}"""), foreignOrigin, HttpStatusCode.Forbidden, "error.forbidden.origin"),
            ("an opaque origin", organizer, Json($$"""{"confirm":"{{a.Code}}"}"""), "null", HttpStatusCode.Forbidden, "error.forbidden.origin"),
            ("nobody signed in", anonymous, Json($$"""{"confirm":"{{a.Code}}"}"""), null, HttpStatusCode.Unauthorized, ""),
            ("the event's moderator", moderator, Json($$"""{"confirm":"{{a.Code}}"}"""), null, HttpStatusCode.Unauthorized, ""),
        };
        var failures = new List<string>();
        foreach (var (what, client, body, origin, status, messageKey) in attempts)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/admin/events/{a.Code}") { Content = body };
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }
            using var response = await client.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var key = TryParse(text)?["messageKey"]?.GetValue<string>() ?? "";
            var code = TryParse(text)?["code"]?.GetValue<string>() ?? "";
            if (response.StatusCode != status || (messageKey.Length > 0 && key != messageKey) || code.Length == 0)
            {
                failures.Add($"{what}: {(int)response.StatusCode} {text}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await DumpAsync(db, tables));
        Assert.DoesNotContain(phone.Received, r => r.Name == nameof(ILiveClient.EventDeleted));
        await phone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), a.Code);

        // The admin page's own request (its origin, JSON, the code typed) goes through.
        using var own = new HttpRequestMessage(HttpMethod.Delete, $"/api/admin/events/{a.Code}") { Content = Json($$"""{"confirm":"{{a.Code}}"}""") };
        own.Headers.Add("Origin", server.BaseUri.GetLeftPart(UriPartial.Authority));
        using var deleted = await organizer.Http.SendAsync(own);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(0, await CountAsync(db, "SELECT COUNT(*) FROM events WHERE id = @Id", new { a.Id }));
        Assert.Equal(1, await CountAsync(db, "SELECT COUNT(*) FROM events WHERE id = @Id", new { b.Id }));
    }

    private static async Task SettleAsync(LiveHubServer server)
    {
        await server.Services.GetRequiredService<UpvoteCoalescer>().FlushAsync(CancellationToken.None);
        await server.Services.GetRequiredService<ReactionService>().FlushAsync(CancellationToken.None);
        // A phone frame waits out its interval and takes the poll's next results version when it leaves: flush until
        // nothing is owed or on its way, or a late frame moves the version after the fingerprint was taken.
        var results = server.Services.GetRequiredService<PollResultsCoalescer>();
        await results.FlushAsync(CancellationToken.None);
        for (var tries = 0; results.Owes && tries < 100; tries++)
        {
            await Task.Delay(50);
            await results.FlushAsync(CancellationToken.None);
        }
        Assert.False(results.Owes, "the poll results coalescer still owes frames after 5 s");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static Task<HttpResponseMessage> DeleteAsync(AdminHttp client, string code, object body) =>
        client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/admin/events/{code}") { Content = JsonContent.Create(body) });

    private static Task ExpectNotFoundAsync<T>(Task<HubResult<T>> call, string what) => ExpectErrorAsync(call, what, ErrorCodes.NotFound);

    private static async Task ExpectErrorAsync<T>(Task<HubResult<T>> call, string what, string code)
    {
        var result = await call;
        Assert.False(result.Ok, $"{what} still answers for the deleted event");
        Assert.True(result.Error!.Code == code, $"{what}: {result.Error.Code} {result.Error.MessageKey}, expected {code}");
    }

    /// <summary>The ids of an event's sessions, questions and polls, read while they exist: afterwards nothing joins them back to it.</summary>
    private static async Task<EventIds> IdsOfAsync(Database db, long eventId)
    {
        await using var c = await db.OpenAsync(CancellationToken.None);
        var sessions = (await c.QueryAsync<long>("SELECT id FROM sessions WHERE event_id = @eventId", new { eventId })).ToArray();
        var questions = (await c.QueryAsync<long>("SELECT q.id FROM questions q JOIN sessions s ON s.id = q.session_id WHERE s.event_id = @eventId", new { eventId })).ToArray();
        var polls = (await c.QueryAsync<long>("SELECT p.id FROM polls p JOIN sessions s ON s.id = p.session_id WHERE s.event_id = @eventId", new { eventId })).ToArray();
        return new EventIds(eventId, sessions, questions, polls);
    }

    private sealed record EventIds(long EventId, long[] Sessions, long[] Questions, long[] Polls);

    /// <summary>How many rows of <paramref name="table"/> belong to the event, by the ids it had.</summary>
    private static Task<long> CountRowsAsync(Database db, EventIds ids, string table) => CountAsync(db, table switch
    {
        "events" => "SELECT COUNT(*) FROM events WHERE id = @EventId",
        "rooms" or "sessions" or "announcements" or "moderation_log" or "agenda_changes" => $"SELECT COUNT(*) FROM {table} WHERE event_id = @EventId",
        "questions" or "polls" or "reaction_counts" => $"SELECT COUNT(*) FROM {table} WHERE {db.InList("session_id", "Sessions")}",
        "upvotes" => $"SELECT COUNT(*) FROM upvotes WHERE {db.InList("question_id", "Questions")}",
        "votes" or "vote_choices" or "vote_words" or "vote_requests" => $"SELECT COUNT(*) FROM {table} WHERE {db.InList("poll_id", "Polls")}",
        _ => throw new InvalidOperationException($"say how a row of {table} belongs to an event"),
    }, ids);

    /// <summary>Everyone with a row in the event.</summary>
    private static async Task<List<string>> ParticipantsOfAsync(Database db, long eventId)
    {
        await using var c = await db.OpenAsync(CancellationToken.None);
        return (await c.QueryAsync<string>("""
            SELECT q.participant_id FROM questions q JOIN sessions s ON s.id = q.session_id WHERE s.event_id = @eventId
            UNION SELECT u.participant_id FROM upvotes u JOIN questions q ON q.id = u.question_id JOIN sessions s ON s.id = q.session_id WHERE s.event_id = @eventId
            UNION SELECT v.participant_id FROM votes v JOIN polls p ON p.id = v.poll_id JOIN sessions s ON s.id = p.session_id WHERE s.event_id = @eventId
            """, new { eventId })).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every row of the event in every table, and its participants' rows, as text.</summary>
    private static async Task<string> FingerprintAsync(Database db, long eventId, IReadOnlyList<string> participants)
    {
        var ids = await IdsOfAsync(db, eventId);
        var text = new StringBuilder();
        await using var c = await db.OpenAsync(CancellationToken.None);
        foreach (var table in EventTables)
        {
            var where = table switch
            {
                "events" => "id = @EventId",
                "rooms" or "sessions" or "announcements" or "moderation_log" or "agenda_changes" => "event_id = @EventId",
                "questions" or "polls" or "reaction_counts" => db.InList("session_id", "Sessions"),
                "upvotes" => db.InList("question_id", "Questions"),
                _ => db.InList("poll_id", "Polls"),
            };
            text.Append(await RowsAsync(c, $"SELECT * FROM {table} WHERE {where}", ids)).Append('\n');
        }
        text.Append(await RowsAsync(c, $"SELECT * FROM participants WHERE {db.InList("id", "participants")}", new { participants = participants.ToArray() }));
        return text.ToString();
    }

    /// <summary>Every row of every table, as text.</summary>
    private static async Task<string> DumpAsync(Database db, IEnumerable<string> tables)
    {
        var text = new StringBuilder();
        await using var c = await db.OpenAsync(CancellationToken.None);
        foreach (var table in tables.Order())
        {
            text.Append(table).Append('\n').Append(await RowsAsync(c, $"SELECT * FROM {table}", null));
        }
        return text.ToString();
    }

    private static async Task<string> RowsAsync(DbConnection c, string sql, object? args)
    {
        var rows = new List<string>();
        await using var reader = await c.ExecuteReaderAsync(sql, args);
        while (await reader.ReadAsync())
        {
            var row = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row.Append(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('|');
            }
            rows.Add(row.ToString());
        }
        rows.Sort(StringComparer.Ordinal);
        return string.Join("\n", rows);
    }

    /// <summary>The tables the migrations made (the migration journal aside).</summary>
    private static async Task<List<string>> TablesAsync(Database db)
    {
        await using var c = await db.OpenAsync(CancellationToken.None);
        var sql = db.Engine == "postgres"
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        return (await c.QueryAsync<string>(sql)).Where(t => !t.Equals("schemaversions", StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private static async Task<long> CountAsync(Database db, string sql, object? args = null)
    {
        await using var c = await db.OpenAsync(CancellationToken.None);
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    private static async Task<T> ScalarAsync<T>(Database db, string sql)
    {
        await using var c = await db.OpenAsync(CancellationToken.None);
        return (await c.ExecuteScalarAsync<T>(sql))!;
    }
}
