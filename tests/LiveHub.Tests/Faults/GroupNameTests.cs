using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LiveHub.Announcements;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Reactions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LiveHub.Tests.Faults;

/// <summary>
/// A client names sessions, views and event codes; the server names groups. Whatever a client sends, it lands only in a group
/// the server built from its own ids for a view it allows, and receives nothing meant for another.
/// </summary>
public sealed partial class GroupNameTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void EveryGroupNameIsBuiltOnlyFromServerSideIds()
    {
        var builders = typeof(GroupNames).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(string)).ToList();
        Assert.NotEmpty(builders);
        foreach (var builder in builders)
        {
            Assert.All(builder.GetParameters(), p => Assert.True(p.ParameterType == typeof(long) || p.ParameterType.IsEnum,
                $"GroupNames.{builder.Name} takes {p.ParameterType.Name} {p.Name}: a group name is built from server-side ids only"));
        }

        // A session's group reads back as the id it was built from, and nothing else reads as a session's group.
        foreach (var id in new[] { 1L, 42L, long.MaxValue })
        {
            Assert.Equal((id, "audience"), GroupNames.SessionOf(GroupNames.Audience(id)));
            Assert.Equal((id, "moderators"), GroupNames.SessionOf(GroupNames.Moderators(id)));
            Assert.Equal((id, "projector"), GroupNames.SessionOf(GroupNames.Projector(id)));
            Assert.Null(GroupNames.SessionOf(GroupNames.Event(id)));
            Assert.Null(GroupNames.SessionOf(GroupNames.EventModerators(id)));
        }
        Assert.Null(GroupNames.SessionOf("s:-1:audience"));
        Assert.Null(GroupNames.SessionOf("s:1:audience:x"));

        // Nobody concatenates a group name inline: GroupNames is the only place that spells one.
        var inline = Directory.EnumerateFiles(Path.Combine(Repo.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "GroupNames.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => InlineGroupName().IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(Repo.Root, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(inline.Count == 0, "group names spelled outside GroupNames:\n" + string.Join("\n", inline));
        Ledger("group names: built from server ids", 0, 0, 0);
    }

    [Fact]
    public async Task NoSessionIdViewOrEventCodeAClientSendsGetsItIntoAGroupItMayNotJoinAndNothingOfAnotherEventReachesIt()
    {
        await using var server = await LiveHubServer.StartAsync();
        var victim = await server.CreateEventAsync();
        var own = await server.CreateEventAsync();

        // The victim event's people, who will make every kind of push there is.
        await using var moderator = await TestClient.ConnectAsync(server, moderatorOf: victim.Code);
        await moderator.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), victim.Code);
        await moderator.JoinAsync(victim.Keynote, SessionViews.Moderator);
        await using var phone = await TestClient.ConnectAsync(server);
        await phone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), victim.Code);
        await phone.JoinAsync(victim.Keynote);

        // Two intruders, each at home in its own event: a moderator of another event, and a phone.
        var moderatorCookies = new CookieContainer();
        using (var http = new HttpClient(new HttpClientHandler { CookieContainer = moderatorCookies }) { BaseAddress = server.BaseUri })
        {
            (await http.GetAsync("/")).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync($"/api/events/{own.Code}/moderator/session", new { passcode = LiveHubServer.Passcode })).EnsureSuccessStatusCode();
        }
        await using var otherModerator = await RawHub.ConnectAsync(server, moderatorCookies);
        await using var intruder = await RawHub.ConnectAsync(server);
        var intruders = new[] { (Name: "another event's moderator", Hub: otherModerator, IsModerator: true), (Name: "a phone", Hub: intruder, IsModerator: false) };

        var refused = 0;
        foreach (var (name, hub, isModerator) in intruders)
        {
            var calls = 0;
            async Task<JsonObject> CallAsync(string target, params object?[] args)
            {
                var completion = await hub.InvokeAsync($"{++calls}", target, JsonSerializer.Serialize(args, Json));
                Assert.NotNull(completion);
                return completion;
            }
            async Task RefusedAsync(string code, string messageKey, string target, params object?[] args)
            {
                var completion = await CallAsync(target, args);
                var error = completion["result"]?["error"];
                Assert.True(completion["result"]?["ok"]?.GetValue<bool>() == false && (string?)error?["code"] == code && (string?)error?["messageKey"] == messageKey,
                    $"{name}: {target}({JsonSerializer.Serialize(args, Json)}) answered {completion.ToJsonString()}, expected {code} / {messageKey}");
                refused++;
            }

            Assert.Equal(true, (await CallAsync(nameof(EventHub.JoinEvent), own.Code))["result"]?["ok"]?.GetValue<bool>());
            Assert.Equal(true, (await CallAsync(nameof(EventHub.JoinSession), own.Keynote, isModerator ? SessionViews.Moderator : SessionViews.Audience))["result"]?["ok"]?.GetValue<bool>());

            // The victim's moderator groups, asked for outright.
            await RefusedAsync(ErrorCodes.Forbidden, "error.forbidden", nameof(EventHub.JoinSession), victim.Keynote, SessionViews.Moderator);
            await RefusedAsync(ErrorCodes.Forbidden, "error.forbidden", nameof(EventHub.JoinSession), victim.Panel, SessionViews.Moderator);

            // Views that are not one of the three, however close.
            string[] views =
            [
                "moderator ", " moderator", "Moderator", "MODERATOR", "moderators", "audience:1", $"s:{victim.Keynote}:moderators",
                "../", "../moderator", "audience\u0000", new string('m', 3000),
            ];
            foreach (var view in views)
            {
                await RefusedAsync(ErrorCodes.Invalid, "error.invalid.view", nameof(EventHub.JoinSession), victim.Keynote, view);
            }

            // Sessions that do not exist: not found, or (a moderator view for someone who is no moderator at all) forbidden.
            foreach (var id in new[] { -1L, -victim.Keynote, 0L, long.MaxValue, long.MinValue })
            {
                await RefusedAsync(ErrorCodes.NotFound, "error.not_found.session", nameof(EventHub.JoinSession), id, SessionViews.Audience);
                await RefusedAsync(ErrorCodes.NotFound, "error.not_found.session", nameof(EventHub.JoinSession), id, SessionViews.Projector);
                await RefusedAsync(isModerator ? ErrorCodes.NotFound : ErrorCodes.Forbidden, isModerator ? "error.not_found.session" : "error.forbidden",
                    nameof(EventHub.JoinSession), id, SessionViews.Moderator);
            }

            // Event codes carrying the separators and shapes of group names.
            string[] codes =
            [
                $"{victim.Code}:moderators", $"e:{victim.Id}", $"e:{victim.Id}:moderators", $"s:{victim.Keynote}:audience",
                $"../{victim.Code}", $"{victim.Code}/", $"{victim.Code}.", new string('A', 3000),
            ];
            foreach (var code in codes)
            {
                await RefusedAsync(ErrorCodes.NotFound, "error.not_found.event", nameof(EventHub.JoinEvent), code);
            }

            // A group name where a session id belongs is not bound at all: SignalR's own error, no result, the connection up.
            var unbound = await CallAsync(nameof(EventHub.JoinSession), $"s:{victim.Keynote}:moderators", SessionViews.Audience);
            Assert.Null(unbound["result"]);
            Assert.NotNull(unbound["error"]);
        }

        // Every push the victim's event can make: a pending question, its approval, a poll and its results, a reaction,
        // an announcement, a status and a moderation change.
        var marker = $"RAHASIA-{victim.Code}";
        var question = await phone.AskAsync(victim.Keynote, $"{marker} pertanyaan?");
        await moderator.ModerateAsync(victim.Keynote, question.Id, ModerationActions.Approve);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(victim.Keynote, PollKinds.Single,
            $"{marker} polling?", ["Ya", "Tidak"], null, null, null, null, PollVisibility.Live));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        await phone.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, "v1", [0], null, null, null, null));
        await phone.OkAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(victim.Keynote, "clap"));
        await moderator.OkAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement), new PostAnnouncementRequest(victim.Id, null, $"{marker} pengumuman"));
        await moderator.OkAsync<SessionView>(nameof(EventHub.SetSessionStatus), new SetSessionStatusRequest(victim.Keynote, SessionStatus.Live));
        await moderator.OkAsync<SessionView>(nameof(EventHub.SetModerationMode), new SetModerationModeRequest(victim.Keynote, ModerationModes.Open));
        await TestClient.EventuallyAsync(() =>
            moderator.ResultFrames.Any(r => r.PollId == poll.Id && r.Voters == 1) &&
            moderator.Received.Any(r => r.Name == nameof(ILiveClient.ReactionsSent)) &&
            moderator.Received.Any(r => r.Name == nameof(ILiveClient.AnnouncementPosted)) &&
            moderator.Received.Any(r => r.Name == nameof(ILiveClient.SessionStatusChanged)) &&
            moderator.Received.Any(r => r.Name == nameof(ILiveClient.ModerationModeChanged)) &&
            phone.ResultFrames.Any(r => r.PollId == poll.Id && r.Voters == 1),
            "the victim's moderator and phone have every push");

        // Then one push in the intruders' own session, sent after all of the above: once it arrives, anything meant for the
        // victim would have arrived before it.
        var control = await otherModerator.InvokeAsync("control", nameof(EventHub.SetModerationMode),
            JsonSerializer.Serialize(new object[] { new SetModerationModeRequest(own.Keynote, ModerationModes.Open) }, Json));
        Assert.Equal(true, control?["result"]?["ok"]?.GetValue<bool>());
        var ownSessions = own.Sessions.Values.ToHashSet();
        foreach (var (name, hub, _) in intruders)
        {
            Assert.NotNull(await hub.EventAsync(m => (string?)m["target"] == nameof(ILiveClient.ModerationModeChanged)
                && (long?)m["arguments"]?[0]?["sessionId"] == own.Keynote));
            var events = hub.Records.Select(r => JsonNode.Parse(r)!.AsObject()).Where(m => (int?)m["type"] == 1).ToList();
            var foreign = events.Where(m =>
            {
                var payload = m["arguments"]?[0];
                var sessionId = (long?)payload?["sessionId"];
                var eventId = (long?)payload?["eventId"];
                var ours = sessionId is { } s ? ownSessions.Contains(s) : eventId == own.Id;
                return !ours || m.ToJsonString().Contains(marker, StringComparison.Ordinal);
            }).ToList();
            output.WriteLine($"{name}: {events.Count} pushes, all of its own event: {string.Join(", ", events.Select(m => (string?)m["target"]).Distinct())}");
            Assert.True(foreign.Count == 0, $"{name} received pushes of another group:\n" + string.Join("\n", foreign.Select(m => m.ToJsonString())));
        }
        Ledger("group names: client-named groups", 0, 0, 0);
        output.WriteLine($"refused calls: {refused}");
    }

    private void Ledger(string name, int acked, int lost, int doubled) =>
        FaultLedger.Record(name, acked, lost, doubled, output);

    [GeneratedRegex("""["{](s|e):|:(moderators|audience|projector)["}]""")]
    private static partial Regex InlineGroupName();
}
