using LiveHub.Data.Admin;
using LiveHub.Data.Events;
using LiveHub.Data.Moderation;
using LiveHub.Data.Polls;
using LiveHub.Events;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Events;

/// <summary>
/// The event snapshot's agenda (rooms, sessions, announcements) is kept per <see cref="EventRow.AgendaVersion"/>: the version
/// must move with every change to what it holds, in the store itself, and with nothing else, or phones would join with a
/// stale agenda or every question would throw the copy away.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AgendaVersionTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    /// <summary>A write straight into the store, past every service.</summary>
    private Task ByHandAsync(string sql, object args) => Server.Services.GetRequiredService<LiveHub.Data.Database>()
        .WriteAsync((connection, tx) => Dapper.SqlMapper.ExecuteAsync(connection, sql, args, tx), CancellationToken.None);

    private Task<long> VersionAsync(long eventId) => Server.ScalarAsync("SELECT COUNT(*) FROM agenda_changes WHERE event_id = @eventId", new { eventId });

    [Fact]
    public async Task EveryChangeToRoomsSessionsOrAnnouncementsMovesTheAgendaVersionAndQuestionAndProjectorCountersDoNot()
    {
        var e = await Server.CreateEventAsync();
        var store = Server.Services.GetRequiredService<EventStore>();
        var announcements = Server.Services.GetRequiredService<AnnouncementStore>();
        var admin = Server.Services.GetRequiredService<AdminStore>();
        var polls = Server.Services.GetRequiredService<PollStore>();
        var ct = CancellationToken.None;

        async Task Moves(string what, Func<Task> change)
        {
            var before = await VersionAsync(e.Id);
            await change();
            Assert.True(await VersionAsync(e.Id) > before, $"{what} moves the agenda version");
        }

        async Task Stays(string what, Func<Task> change)
        {
            var before = await VersionAsync(e.Id);
            await change();
            Assert.True(await VersionAsync(e.Id) == before, $"{what} leaves the agenda version");
        }

        await Moves("a status override", () => store.SetStatusOverrideAsync(e.Keynote, SessionStatus.Ended, ct));
        await Moves("a moderation mode", () => store.SetModerationAsync(e.Keynote, ModerationModes.Open, ct));
        var posted = await announcements.AddAsync(e.Id, null, "Lunch is served", "moderator", ct);
        await Moves("an announcement", () => announcements.AddAsync(e.Id, null, "Coffee too", "moderator", ct));
        await Moves("a deleted announcement", () => announcements.DeleteAsync(e.Id, posted.Id, ct));
        var room = (await store.ListRoomsAsync(e.Id, ct))[0];
        await Moves("a renamed room", () => admin.UpdateRoomAsync(e.Id, room.RoomKey, "Main hall", 500, ct));

        await Stays("a projector change", () => polls.SetProjectorAsync(e.Keynote, "idle", null, true, ct));
        await Stays("a question's version step", () => ByHandAsync(
            "UPDATE sessions SET version = version + 1, mod_version = mod_version + 1, on_screen_question_id = NULL WHERE id = @id", new { id = e.Keynote }));
    }

    [Fact]
    public async Task AJoinAfterAChangeSeesItAndAJoinWithoutOneSharesTheAgendaRead()
    {
        var e = await Server.CreateEventAsync();
        var events = Server.Services.GetRequiredService<EventService>();
        var snapshots = Server.Services.GetRequiredService<EventSnapshots>();
        var announcements = Server.Services.GetRequiredService<AnnouncementStore>();
        var ct = CancellationToken.None;

        var first = await snapshots.ReadAsync((await events.FindByCodeAsync(e.Code, ct))!, false, null, ct);
        var second = await snapshots.ReadAsync((await events.FindByCodeAsync(e.Code, ct))!, false, null, ct);
        Assert.Same(first.Announcements, second.Announcements);

        await Server.Services.GetRequiredService<EventStore>().SetStatusOverrideAsync(e.Keynote, SessionStatus.Ended, ct);
        await announcements.AddAsync(e.Id, null, "Doors close at six", "moderator", ct);
        var third = await snapshots.ReadAsync((await events.FindByCodeAsync(e.Code, ct))!, false, null, ct);
        Assert.Equal(SessionStatus.Ended, third.Sessions.Single(s => s.Id == e.Keynote).Status);
        Assert.Contains(third.Announcements, a => a.Text == "Doors close at six");

        // A change made by hand in the store, past every service, is seen all the same.
        await ByHandAsync("UPDATE sessions SET title = 'Renamed by hand' WHERE id = @id", new { id = e.Keynote });
        var fourth = await snapshots.ReadAsync((await events.FindByCodeAsync(e.Code, ct))!, false, null, ct);
        Assert.Equal("Renamed by hand", fourth.Sessions.Single(s => s.Id == e.Keynote).Title);
    }
}
