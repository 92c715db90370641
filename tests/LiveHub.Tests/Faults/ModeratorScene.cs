using System.Net;
using System.Net.Http.Json;
using Dapper;
using LiveHub.Admin;
using LiveHub.Announcements;
using LiveHub.Data;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Faults;

/// <summary>
/// An event with something of every kind a moderator acts on (questions, a draft and an open poll with an answer, an
/// announcement), and three people who must be refused: the audience, another event's moderator, and a moderator whose
/// connection was opened before the organizer rotated the passcode.
/// </summary>
public sealed class ModeratorScene : IAsyncDisposable
{
    public const string NewPasscode = "rotated-passcode-9";

    private readonly List<TestClient> _clients = [];

    private ModeratorScene(LiveHubServer server) => Server = server;

    public LiveHubServer Server { get; }
    public TestEvent Event { get; private set; } = null!;
    public long QuestionId { get; private set; }
    public long DuplicateId { get; private set; }
    public long DraftPollId { get; private set; }
    public long OpenPollId { get; private set; }
    public long AnswerId { get; private set; }
    public long AnnouncementId { get; private set; }

    public TestClient Audience { get; private set; } = null!;
    public TestClient OtherEventsModerator { get; private set; } = null!;
    public TestClient RotatedOut { get; private set; } = null!;

    public IEnumerable<(string Who, TestClient Client)> Refused =>
        [("audience", Audience), ("another event's moderator", OtherEventsModerator), ("a moderator rotated out", RotatedOut)];

    /// <summary>Sets the scene on a server with the admin key of <see cref="AdminServerFixture"/>, and rotates the passcode.</summary>
    public static async Task<ModeratorScene> SetUpAsync(LiveHubServer server)
    {
        var scene = new ModeratorScene(server);
        var e = scene.Event = await server.CreateEventAsync();
        var other = await server.CreateEventAsync();
        var setup = await scene.ConnectAsync(moderatorOf: e.Code);
        var audience = scene.Audience = await scene.ConnectAsync();
        await audience.JoinAsync(e.Keynote);
        scene.QuestionId = (await audience.AskAsync(e.Keynote, "Kapan jalan ke Oesapa diperbaiki?")).Id;
        scene.DuplicateId = (await audience.AskAsync(e.Keynote, "Kapan jalan Oesapa diperbaiki?")).Id;
        scene.DraftPollId = (await setup.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(e.Keynote, PollKinds.Single,
            "Masalah mana yang paling mendesak?", ["Jalan", "Air"], null, null, null, null, PollVisibility.Live))).Id;
        scene.OpenPollId = (await setup.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(e.Keynote, PollKinds.Text,
            "Saran Anda?", null, null, null, null, null, null))).Id;
        await setup.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(scene.OpenPollId));
        await audience.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(scene.OpenPollId, "answer-1", null, null, null, "Perbanyak bus kota", null));
        await using (var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None))
        {
            scene.AnswerId = await connection.ExecuteScalarAsync<long>("SELECT id FROM votes WHERE poll_id = @OpenPollId", new { scene.OpenPollId });
        }
        scene.AnnouncementId = (await setup.OkAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement),
            new PostAnnouncementRequest(e.Id, null, "Selamat datang di Kupang."))).Id;

        scene.OtherEventsModerator = await scene.ConnectAsync(moderatorOf: other.Code);
        await scene.OtherEventsModerator.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), other.Code);
        scene.RotatedOut = await scene.ConnectAsync(moderatorOf: e.Code);
        await scene.RotatedOut.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        await scene.RotatedOut.JoinAsync(e.Keynote, SessionViews.Moderator);
        await RotateAsync(server, e.Code, NewPasscode);
        return scene;
    }

    /// <summary>The organizer rotates the event's moderator passcode, as the admin page does.</summary>
    public static async Task RotateAsync(LiveHubServer server, string code, string passcode)
    {
        using var admin = await AdminHttp.SignInAsync(server);
        using var rotated = await admin.Http.PostAsJsonAsync($"/api/admin/events/{code}/passcode", new PasscodeRequest(passcode));
        rotated.EnsureSuccessStatusCode();
    }

    /// <summary>A moderator signed in with the passcode in force after the rotation, connected after signing in.</summary>
    public static async Task<TestClient> SignInAsync(Uri server, string code, string passcode)
    {
        var client = await TestClient.ConnectAsync(server);
        using var signIn = await client.Http.PostAsJsonAsync($"/api/events/{code}/moderator/session", new { passcode });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        await client.ReconnectAsync();
        return client;
    }

    /// <summary>
    /// A valid call of every moderator-only hub method on this event's things: each would succeed for the event's current
    /// moderators.
    /// </summary>
    public IReadOnlyDictionary<string, object?[]> ModeratorCalls()
    {
        var e = Event;
        return new Dictionary<string, object?[]>
        {
            [nameof(EventHub.JoinSession)] = [e.Keynote, SessionViews.Moderator],
            [nameof(EventHub.ModerateQuestion)] = [new ModerateQuestionRequest(e.Keynote, QuestionId, ModerationActions.Approve)],
            [nameof(EventHub.EditQuestion)] = [new EditQuestionRequest(e.Keynote, QuestionId, "Diubah oleh penyusup")],
            [nameof(EventHub.SetModerationMode)] = [new SetModerationModeRequest(e.Keynote, ModerationModes.Open)],
            [nameof(EventHub.CreatePoll)] = [new PollDraftRequest(e.Keynote, PollKinds.Single, "Polling palsu?", ["Ya", "Tidak"], null, null, null, null, PollVisibility.Live)],
            [nameof(EventHub.UpdatePoll)] = [new UpdatePollRequest(DraftPollId, new PollDraftRequest(e.Keynote, PollKinds.Single, "Diubah?", ["Ya", "Tidak"], null, null, null, null, PollVisibility.Live))],
            [nameof(EventHub.CopyPoll)] = [new CopyPollRequest(DraftPollId, e.Panel)],
            [nameof(EventHub.DeletePoll)] = [new PollRequest(DraftPollId)],
            [nameof(EventHub.OpenPoll)] = [new PollRequest(DraftPollId)],
            [nameof(EventHub.ClosePoll)] = [new PollRequest(OpenPollId)],
            [nameof(EventHub.RevealPollResults)] = [new RevealPollRequest(OpenPollId, true)],
            [nameof(EventHub.ResetPoll)] = [new PollRequest(OpenPollId)],
            [nameof(EventHub.ModeratePollAnswer)] = [new ModeratePollAnswerRequest(OpenPollId, AnswerId, "approve")],
            [nameof(EventHub.SetProjector)] = [new SetProjectorRequest(e.Keynote, "idle", null, true)],
            [nameof(EventHub.ReplyToQuestion)] = [new ReplyToQuestionRequest(e.Keynote, QuestionId, "Jawaban palsu")],
            [nameof(EventHub.LabelQuestion)] = [new LabelQuestionRequest(e.Keynote, QuestionId, ["palsu"])],
            [nameof(EventHub.MergeQuestions)] = [new MergeQuestionsRequest(e.Keynote, DuplicateId, QuestionId)],
            [nameof(EventHub.SetSessionStatus)] = [new SetSessionStatusRequest(e.Keynote, SessionStatus.Ended)],
            [nameof(EventHub.SetProfanityWords)] = [new SetProfanityWordsRequest(e.Id, ["kata"])],
            [nameof(EventHub.PostAnnouncement)] = [new PostAnnouncementRequest(e.Id, null, "Pengumuman palsu")],
            [nameof(EventHub.DeleteAnnouncement)] = [new DeleteAnnouncementRequest(e.Id, AnnouncementId)],
        };
    }

    /// <summary>Every moderator-only HTTP endpoint, by route pattern, as a request for this event.</summary>
    public IReadOnlyDictionary<string, string> ModeratorEndpoints()
    {
        var e = Event;
        return new Dictionary<string, string>
        {
            ["GET /api/events/{code}/audit"] = $"/api/events/{e.Code}/audit",
            ["GET /api/sessions/{sessionId:long}"] = $"/api/sessions/{e.Keynote}?view=moderator",
            ["GET /api/events/{code}/export/{file}"] = $"/api/events/{e.Code}/export/questions.json",
            ["GET /api/sessions/{sessionId:long}/export/{file}"] = $"/api/sessions/{e.Keynote}/export/polls.csv",
        };
    }

    /// <summary>Everything stored about the event that a moderator could change, as text to compare.</summary>
    public async Task<string> StateAsync()
    {
        string[] queries =
        [
            "SELECT * FROM events WHERE id = @Id",
            "SELECT * FROM sessions WHERE event_id = @Id ORDER BY id",
            "SELECT q.* FROM questions q JOIN sessions s ON s.id = q.session_id WHERE s.event_id = @Id ORDER BY q.id",
            "SELECT p.* FROM polls p JOIN sessions s ON s.id = p.session_id WHERE s.event_id = @Id ORDER BY p.id",
            "SELECT v.* FROM votes v JOIN polls p ON p.id = v.poll_id JOIN sessions s ON s.id = p.session_id WHERE s.event_id = @Id ORDER BY v.id",
            "SELECT * FROM announcements WHERE event_id = @Id ORDER BY id",
            "SELECT * FROM moderation_log WHERE event_id = @Id ORDER BY id",
        ];
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var lines = new List<string>();
        foreach (var sql in queries)
        {
            foreach (IDictionary<string, object?> row in await connection.QueryAsync(sql, new { Event.Id }))
            {
                lines.Add(string.Join("|", row.Select(c => $"{c.Key}={c.Value}")));
            }
        }
        return string.Join("\n", lines);
    }

    private async Task<TestClient> ConnectAsync(string? moderatorOf = null)
    {
        var client = await TestClient.ConnectAsync(Server, moderatorOf);
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
