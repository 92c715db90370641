using System.Collections.Concurrent;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using LiveHub.Tests.ScaleOut;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Faults;

/// <summary>A connection that drops after the server committed a write and before the reply reached the phone.</summary>
public sealed class LostReplyTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    /// <summary>
    /// The phone never hears that its question and its vote were stored; it reconnects and resends both with the same client
    /// ids. Each is answered as the first time (same question, same vote) and stored once.
    /// </summary>
    [SkippableTheory, OnBothEngines]
    public async Task AResendAfterALostReplyGetsTheSameAnswerAndStoresOneRow(string engine)
    {
        var drop = new DropReplyFilter();
        await using var scene = await postgres.ModeratedEventAsync(engine, services: s => s.Configure<HubOptions>(o => o.AddFilter(drop)));
        var (server, e, moderator) = scene;
        var poll = await moderator.OpenPollAsync(e.Keynote);
        await using var phone = await TestClient.ConnectAsync(server);
        var ask = new AskQuestionRequest(e.Keynote, "lost-reply-ask", "Sampai?", "Ani");
        var vote = new CastVoteRequest(poll.Id, "lost-reply-vote", [1], null, null, null, null);

        drop.Next("lost-reply-ask");
        await Assert.ThrowsAnyAsync<Exception>(() => phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), ask));
        await phone.ReconnectAsync();
        drop.Next("lost-reply-vote");
        await Assert.ThrowsAnyAsync<Exception>(() => phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), vote));
        await phone.ReconnectAsync();

        var asked = await phone.OkAsync<QuestionView>(nameof(EventHub.AskQuestion), ask);
        var voted = await phone.OkAsync<MyVote>(nameof(EventHub.CastVote), vote);

        var (questions, votes) = (await server.ScalarAsync("SELECT COUNT(*) FROM questions WHERE client_id = 'lost-reply-ask'"),
            await server.ScalarAsync($"SELECT COUNT(*) FROM vote_requests WHERE poll_id = {poll.Id}"));
        FaultLedger.Record($"A connection dropped after commit and before the reply ({engine})", 2,
            (questions == 0 ? 1 : 0) + (votes == 0 ? 1 : 0), (int)(Math.Max(0, questions - 1) + Math.Max(0, votes - 1)));
        Assert.Equal(2, drop.Dropped);
        Assert.Equal(("Sampai?", "Ani", "lost-reply-ask"), (asked.Text, asked.AuthorName, asked.ClientId));
        Assert.Equal((poll.Id, 1), (voted.PollId, voted.Choices.Single()));
        Assert.Equal(1, await server.ScalarAsync("SELECT COUNT(*) FROM questions WHERE client_id = 'lost-reply-ask'"));
        Assert.Equal(1, await server.ScalarAsync($"SELECT COUNT(*) FROM votes WHERE poll_id = {poll.Id}"));
        Assert.Equal(asked.Id, await server.ScalarAsync("SELECT id FROM questions WHERE client_id = 'lost-reply-ask'"));
        Assert.Equal(1, await server.ScalarAsync($"SELECT COUNT(*) FROM vote_requests WHERE poll_id = {poll.Id}"));
    }

    /// <summary>Lets the call run (and commit), then drops the connection before its reply can leave.</summary>
    private sealed class DropReplyFilter : IHubFilter
    {
        private readonly ConcurrentDictionary<string, byte> _next = new();
        private int _dropped;

        public int Dropped => _dropped;

        public void Next(string clientId) => _next[clientId] = 0;

        public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
        {
            var result = await next(context);
            var clientId = context.HubMethodArguments.FirstOrDefault() switch
            {
                AskQuestionRequest r => r.ClientId,
                CastVoteRequest r => r.ClientId,
                _ => null,
            };
            if (clientId is not null && _next.TryRemove(clientId, out _))
            {
                Assert.True(result is HubResult<QuestionView> { Ok: true } or HubResult<MyVote> { Ok: true }, "the write was stored");
                Interlocked.Increment(ref _dropped);
                context.Context.Abort();
                await Task.Delay(Timeout.Infinite, context.Context.ConnectionAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            return result;
        }
    }

}
