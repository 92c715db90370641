using Dapper;
using LiveHub.Data;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using LiveHub.Tests.ScaleOut;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Faults;

/// <summary>The database locked beyond the timeout (SQLite) or down (PostgreSQL) while phones and moderators write.</summary>
public sealed class StoreOutageTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    /// <summary>
    /// During the outage a question, a vote and a moderator's approval each answer the retryable <c>unavailable</c>, on
    /// connections that stay up, and nothing is half written (no question, no vote, the approval neither applied nor logged).
    /// Resent after it, as the outbox does, each is stored exactly once.
    /// </summary>
    [SkippableTheory, OnBothEngines]
    public async Task WritesDuringAnOutageFailRetryablyLeaveNothingHalfWrittenAndAreStoredOnceWhenResent(string engine)
    {
        await using var scene = await postgres.ModeratedEventAsync(engine, ModerationModes.Pre,
            new Dictionary<string, string?> { ["LiveHub:Store:BusyTimeoutMilliseconds"] = "200" });
        var (server, e, moderator) = scene;
        await using var phone = await TestClient.ConnectAsync(server);
        var pending = await phone.AskAsync(e.Keynote, "Sebelum gangguan?");
        var poll = await moderator.OpenPollAsync(e.Keynote);
        var ask = new AskQuestionRequest(e.Keynote, "during-outage", "Saat gangguan?", null);
        var vote = new CastVoteRequest(poll.Id, "vote-during-outage", [1], null, null, null, null);
        var approve = new ModerateQuestionRequest(e.Keynote, pending.Id, "approve");

        await using (await OutageAsync(server, engine))
        {
            var failed = new HubError?[]
            {
                (await phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), ask)).Error,
                (await phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), vote)).Error,
                (await moderator.InvokeAsync<QuestionView>(nameof(EventHub.ModerateQuestion), approve)).Error,
            };
            Assert.All(failed, error => Assert.Equal((ErrorCodes.Unavailable, true), (error?.Code, error?.Retryable ?? false)));
        }

        Assert.Equal((HubConnectionState.Connected, HubConnectionState.Connected), (phone.Connection.State, moderator.Connection.State));
        Assert.Equal(0, await server.ScalarAsync("SELECT COUNT(*) FROM questions WHERE client_id = 'during-outage'"));
        Assert.Equal(0, await server.ScalarAsync("SELECT COUNT(*) FROM vote_requests WHERE client_id = 'vote-during-outage'"));
        Assert.Equal(0, await server.ScalarAsync($"SELECT COUNT(*) FROM questions WHERE id = {pending.Id} AND status <> 'pending'"));
        Assert.Equal(0, await server.ScalarAsync($"SELECT COUNT(*) FROM moderation_log WHERE question_id = {pending.Id}"));

        var asked = await ResendUntilStoredAsync(() => phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), ask));
        await ResendUntilStoredAsync(() => phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), vote));
        await ResendUntilStoredAsync(() => moderator.InvokeAsync<QuestionView>(nameof(EventHub.ModerateQuestion), approve));
        var again = await phone.OkAsync<QuestionView>(nameof(EventHub.AskQuestion), ask);

        var stored = new[]
        {
            await server.ScalarAsync("SELECT COUNT(*) FROM questions WHERE client_id = 'during-outage'"),
            await server.ScalarAsync("SELECT COUNT(*) FROM vote_requests WHERE client_id = 'vote-during-outage'"),
            await server.ScalarAsync($"SELECT COUNT(*) FROM moderation_log WHERE question_id = {pending.Id}"),
        };
        FaultLedger.Record(engine == Engines.Sqlite ? "SQLite locked beyond the timeout" : "PostgreSQL down", stored.Length,
            stored.Count(n => n == 0), (int)stored.Sum(n => Math.Max(0, n - 1)));
        Assert.Equal(asked.Id, again.Id);
        Assert.Equal(1, await server.ScalarAsync("SELECT COUNT(*) FROM questions WHERE client_id = 'during-outage'"));
        Assert.Equal(1, await server.ScalarAsync($"SELECT COUNT(*) FROM votes WHERE poll_id = {poll.Id}"));
        Assert.Equal(1, await server.ScalarAsync($"SELECT COUNT(*) FROM moderation_log WHERE question_id = {pending.Id}"));
    }

    /// <summary>SQLite: another process holds the write lock. PostgreSQL: the server is down.</summary>
    private async Task<IAsyncDisposable> OutageAsync(LiveHubServer server, string engine)
    {
        if (engine == Engines.Postgres)
        {
            Infrastructure.Services.Require(postgres.Server!.CanRestart, "a PostgreSQL the tests started themselves");
            await postgres.Server.StopAsync();
            return new Restart(postgres.Server);
        }
        var blocker = new SqliteConnection($"Data Source={((SqliteDatabase)server.Services.GetRequiredService<Database>()).SqlitePath};Pooling=false");
        await blocker.OpenAsync();
        await blocker.ExecuteAsync("BEGIN IMMEDIATE");
        return blocker;
    }

    private sealed class Restart(PostgresServer server) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await server.StartAgainAsync();
    }

    /// <summary>The outbox: resends a write while it answers retryably, until it is stored.</summary>
    private static async Task<T> ResendUntilStoredAsync<T>(Func<Task<HubResult<T>>> send)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var result = await send();
            if (result.Ok)
            {
                return result.Value!;
            }
            Assert.True(result.Error!.Retryable, $"a final error: {result.Error.Code}");
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Still {result.Error.Code} after 20 s of resending");
            }
            await Task.Delay(100);
        }
    }

}
