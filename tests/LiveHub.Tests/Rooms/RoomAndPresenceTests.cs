using System.Net;
using Dapper;
using LiveHub.Announcements;
using LiveHub.Data;
using LiveHub.Data.Events;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Reactions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Rooms;

[Collection(ServerCollection.Name)]
public sealed class RoomAndPresenceTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task PresenceCountsMatchTheConnectedClientsPerSessionAndRoom()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await moderator.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        var keynote = await Task.WhenAll(Enumerable.Range(0, 7).Select(_ => TestClient.ConnectAsync(Server)));
        var panel = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TestClient.ConnectAsync(Server)));
        try
        {
            await Task.WhenAll(keynote.Select(c => c.JoinAsync(e.Keynote)));
            await Task.WhenAll(panel.Select(c => c.JoinAsync(e.Panel)));
            // Rejoining after a reconnect-style refresh must not count twice.
            await keynote[0].JoinAsync(e.Keynote);

            var snapshot = await moderator.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
            Assert.Equal(7, snapshot.Presence![e.Keynote]);
            Assert.Equal(3, snapshot.Presence[e.Panel]);
            // Both sessions are in the main hall: the room holds ten.
            await TestClient.EventuallyAsync(
                () => moderator.Received.Any(r => r.Payload is PresenceDelta d && d.SessionId == e.Panel && d.Session == 3 && d.Room == 10),
                "the moderator gets session and room counts", TimeSpan.FromSeconds(15));

            await Task.WhenAll(keynote.Take(4).Select(c => c.DisposeAsync().AsTask()));
            await TestClient.EventuallyAsync(
                () => moderator.Received.Any(r => r.Payload is PresenceDelta d && d.SessionId == e.Keynote && d.Session == 3 && d.Room == 6),
                "departures are counted", TimeSpan.FromSeconds(15));
        }
        finally
        {
            await Task.WhenAll(keynote.Skip(4).Concat(panel).Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task ProjectorShowsTheHeadCountOnlyWhenTheModeratorWantsIt()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var projector = await TestClient.ConnectAsync(Server);
        await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        await using var phone = await TestClient.ConnectAsync(Server);
        await phone.JoinAsync(e.Keynote);

        await moderator.OkAsync<ProjectorDelta>(nameof(EventHub.SetProjector), new SetProjectorRequest(e.Keynote, ProjectorModes.Questions, null, ShowPresence: true));
        await using var second = await TestClient.ConnectAsync(Server);
        await second.JoinAsync(e.Keynote);

        await TestClient.EventuallyAsync(() => projector.Received.Any(r => r.Payload is PresenceDelta { Session: 2 }), "the projector gets the count", TimeSpan.FromSeconds(15));
        var after = await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        Assert.True(after.ProjectorPresence);
        Assert.Equal(2, after.Present);
    }

    [Fact]
    public async Task AnnouncementReachesEveryoneInTheEventAndCanBeReread()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(Server);
        await using var projector = await TestClient.ConnectAsync(Server);
        await phone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        await projector.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        var rooms = await Server.Services.GetRequiredService<EventStore>().ListRoomsAsync(e.Id, CancellationToken.None);
        var roomB = rooms.Single(r => r.RoomKey == "room-b");

        var all = await moderator.OkAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement), new PostAnnouncementRequest(e.Id, null, "Makan siang di Aula Utama pukul 12.30."));
        var local = await moderator.OkAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement), new PostAnnouncementRequest(e.Id, roomB.Id, "Sesi Ruang B mundur 10 menit."));

        foreach (var client in new[] { phone, projector })
        {
            await TestClient.EventuallyAsync(() => client.Received.Count(r => r.Name == nameof(ILiveClient.AnnouncementPosted)) == 2, "both announcements arrive");
        }
        var reread = await phone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        Assert.Equal([local.Id, all.Id], reread.Announcements.Select(a => a.Id));
        Assert.Equal(roomB.Id, reread.Announcements[0].RoomId);

        Assert.Equal(ErrorCodes.Forbidden, (await phone.InvokeAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement), new PostAnnouncementRequest(e.Id, null, "Palsu"))).Error!.Code);
        Assert.Equal(ErrorCodes.NotFound, (await moderator.InvokeAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement), new PostAnnouncementRequest(e.Id, 987654, "Ruang salah"))).Error!.Code);
        await moderator.OkAsync<AnnouncementView>(nameof(EventHub.DeleteAnnouncement), new DeleteAnnouncementRequest(e.Id, local.Id));
        await TestClient.EventuallyAsync(() => phone.Received.Any(r => r.Name == nameof(ILiveClient.AnnouncementDeleted)), "withdrawal arrives");
    }

    [Fact]
    public async Task ReactionsAreCountedCoalescedAndRateLimited()
    {
        var e = await Server.CreateEventAsync();
        await using var projector = await TestClient.ConnectAsync(Server);
        await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        await using var phone = await TestClient.ConnectAsync(Server);
        await phone.JoinAsync(e.Keynote);
        await using var other = await TestClient.ConnectAsync(Server);

        var results = new List<HubResult<bool>>();
        for (var i = 0; i < 12; i++)
        {
            results.Add(await phone.InvokeAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(e.Keynote, "clap")));
        }
        await other.OkAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(e.Keynote, "heart"));
        var bad = await other.InvokeAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(e.Keynote, "<script>"));

        var accepted = results.Count(r => r.Ok);
        Assert.InRange(accepted, 10, 11);
        Assert.Contains(results, r => r.Error?.Code == ErrorCodes.SlowDown);
        Assert.Equal(ErrorCodes.Invalid, bad.Error!.Code);
        long Sum(string kind) => projector.Received.Where(r => r.Payload is ReactionsDelta).Sum(r => ((ReactionsDelta)r.Payload).Counts.GetValueOrDefault(kind));
        await TestClient.EventuallyAsync(() => Sum("clap") == accepted && Sum("heart") == 1, "the projector gets every accepted reaction");
        Assert.True(projector.Received.Count(r => r.Payload is ReactionsDelta) <= 3, "reactions are pushed in bursts, not one by one");
        Assert.DoesNotContain(phone.Received, r => r.Payload is ReactionsDelta);

        await TestClient.EventuallyAsync(() => Totals(e.Keynote).GetValueOrDefault("clap") == accepted, "totals are stored");
    }

    [Fact]
    public async Task ModeratorStatusOverrideReachesTheWholeEventAtOnce()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(Server);
        await phone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        var traffic = e.Sessions["traffic"];

        var live = await moderator.OkAsync<SessionView>(nameof(EventHub.SetSessionStatus), new SetSessionStatusRequest(traffic, SessionStatus.Live));
        Assert.Equal(SessionStatus.Live, live.Status);
        await TestClient.EventuallyAsync(() => phone.Received.Any(r => r.Payload is SessionView { Status: SessionStatus.Live } v && v.Id == traffic), "the phone learns the session is live");

        var back = await moderator.OkAsync<SessionView>(nameof(EventHub.SetSessionStatus), new SetSessionStatusRequest(traffic, null));
        Assert.Equal(SessionStatus.Ended, back.Status);
        Assert.Equal(ErrorCodes.Forbidden, (await phone.InvokeAsync<SessionView>(nameof(EventHub.SetSessionStatus), new SetSessionStatusRequest(traffic, SessionStatus.Live))).Error!.Code);
    }

    /// <summary>
    /// A status override reaches every screen as <c>SessionStatusChanged</c> and moves no session version: a phone watching the
    /// session sees the next question under the very next version, instead of a gap that sends it back for a whole snapshot.
    /// </summary>
    [Fact]
    public async Task AStatusOverrideLeavesTheSessionsNextDeltaConsecutive()
    {
        var e = await Server.CreateEventAsync(ModerationModes.Open);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(Server);
        await phone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        var watched = await phone.JoinAsync(e.Keynote);
        var moderated = await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);

        await moderator.OkAsync<SessionView>(nameof(EventHub.SetSessionStatus), new SetSessionStatusRequest(e.Keynote, SessionStatus.Live));
        await TestClient.EventuallyAsync(() => phone.Received.Any(r => r.Name == nameof(ILiveClient.SessionStatusChanged)), "the phone hears of the status");
        var asked = await phone.AskAsync(e.Keynote, "Berikutnya?");

        var seen = await TestClient.EventuallyValueAsync(() => phone.QuestionDeltas.FirstOrDefault(d => d.Question.Id == asked.Id));
        var seenByModerator = await TestClient.EventuallyValueAsync(() => moderator.QuestionDeltas.FirstOrDefault(d => d.Question.Id == asked.Id));
        Assert.Equal(watched.Version + 1, seen.Version);
        Assert.Equal(moderated.Version + 1, seenByModerator.Version);
    }

    [Fact]
    public async Task EachRoomHasItsOwnCodeThatLeadsToTheRoom()
    {
        var e = await Server.CreateEventAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.BaseUri };
        var snapshot = await Server.Services.GetRequiredService<EventService>().SnapshotAsync(e.Code, false, CancellationToken.None);
        var codes = snapshot!.Rooms.Select(r => r.Code).ToList();
        Assert.Equal(3, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Equal(c, JoinCode.Normalize(c)));

        var roomC = snapshot.Rooms.Single(r => r.Key == "room-c");
        using var response = await http.GetAsync($"/r/{roomC.Code!.ToLowerInvariant()}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/e/{e.Code}?room=room-c", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/r/ZZZZZZ")).StatusCode);
    }

    private IReadOnlyDictionary<string, long> Totals(long sessionId) =>
        Server.Services.GetRequiredService<LiveHub.Data.Moderation.ReactionStore>().TotalsAsync(sessionId, CancellationToken.None).GetAwaiter().GetResult();
}
