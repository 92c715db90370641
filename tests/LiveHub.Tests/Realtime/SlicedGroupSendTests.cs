using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Realtime;

/// <summary>
/// A room larger than a slice is sent to a slice at a time, through one queue per group: every phone still gets every delta of
/// the room, in version order with no gap, whichever service sent it (moderation, results frames, upvote counts).
/// </summary>
public sealed class SlicedGroupSendTests
{
    [Fact]
    public async Task ARoomLargerThanASliceGetsEveryDeltaInOrder()
    {
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
        {
            ["LiveHub:Realtime:SliceSize"] = "16",
            ["LiveHub:Questions:UpvotesPerMinute"] = "10000",
        });
        var e = await server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(server, moderatorOf: e.Code);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        var phones = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => TestClient.ConnectAsync(server)));
        try
        {
            await Task.WhenAll(phones.Select(p => p.JoinAsync(e.Keynote)));
            var asked = new List<QuestionView>();
            for (var i = 0; i < 12; i++)
            {
                asked.Add(await phones[i].AskAsync(e.Keynote, $"Pertanyaan nomor {i + 1} tentang kota pintar?"));
            }
            // Half public before (the ones phones upvote), half approved while everything else goes on.
            foreach (var q in asked.Take(6))
            {
                await moderator.ModerateAsync(e.Keynote, q.Id, "approve");
            }
            var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(e.Keynote, PollKinds.Single,
                "Prioritas pertama?", ["Air", "Jalan", "Data"], null, null, null, null, PollVisibility.Live));
            var lifetime = (UserIndexedHubLifetimeManager<EventHub>)server.Services.GetRequiredService<HubLifetimeManager<EventHub>>();
            var slicedBefore = lifetime.SlicedSends;

            // Moderation, votes and upvotes at once: three services pushing to the room while it is sent to in slices.
            await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
            await Task.WhenAll(
                Task.Run(async () =>
                {
                    foreach (var q in asked.Skip(6))
                    {
                        await moderator.ModerateAsync(e.Keynote, q.Id, "approve");
                    }
                }),
                Task.WhenAll(phones.Select((p, i) => p.OkAsync<MyVote>(nameof(EventHub.CastVote),
                    new CastVoteRequest(poll.Id, $"v{i}", [i % 3], null, null, null, null)))),
                Task.WhenAll(phones.Skip(12).Select((p, i) => p.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(asked[i % 6].Id, true)))));

            await TestClient.EventuallyAsync(() => phones.All(p =>
                    asked.All(q => p.Received.Any(r => r.Name == nameof(ILiveClient.QuestionApproved) && ((QuestionDelta)r.Payload).Question.Id == q.Id))
                    && p.ResultFrames.Any(f => f.PollId == poll.Id && f.Voters == phones.Length)),
                "every phone has every approval and the whole vote count");
            Assert.True(lifetime.SlicedSends > slicedBefore, "the room's pushes went out in slices");

            // Every versioned delta of the session a phone got after its join, in order, none missing.
            foreach (var phone in phones)
            {
                var versions = phone.Received.Select(r => r.Payload).OfType<IVersionedDelta>()
                    .Where(d => d.SessionId == e.Keynote).Select(d => d.Version).ToList();
                Assert.NotEmpty(versions);
                Assert.Equal(Enumerable.Range(0, versions.Count).Select(k => versions[0] + k), versions);
            }
        }
        finally
        {
            foreach (var phone in phones)
            {
                await phone.DisposeAsync();
            }
        }
    }
}
