using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LiveHub.Tests.Faults;

/// <summary>Every time LiveHub stores or compares comes from the registered <see cref="TimeProvider"/>, never the machine's clock.</summary>
public sealed class RegisteredClockTests
{
    [Fact]
    public async Task AQuizClosesAndRefusesLateAnswersOnTheRegisteredClock()
    {
        // An hour behind the machine: a deadline taken from one clock and checked against the other is off by an hour.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1));
        await using var server = await LiveHubServer.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var e = await server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(server);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        var quiz = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Quiz, "Ibu kota NTT?", ["Kupang", "Ende"], null, null, [0], 5, PollVisibility.Live));
        quiz = await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(quiz.Id));

        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds() + 5_000, quiz.ClosesAt);
        await phone.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(quiz.Id, "in-time", [0], null, null, null, "Ani"));

        clock.Advance(TimeSpan.FromSeconds(6));
        var late = await phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(quiz.Id, "late", [1], null, null, null, "Ani"));
        Assert.False(late.Ok, "an answer after the quiz's deadline on the registered clock is refused");
        Assert.Contains(late.Error!.Code, new[] { "poll_time_up", "poll_closed" });
        await TestClient.EventuallyAsync(() => moderator.Received.Any(r => r.Name == nameof(ILiveClient.PollClosed)),
            "the quiz timer closes the quiz on the registered clock");
    }
}
