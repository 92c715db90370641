using System.Net;
using System.Net.WebSockets;
using Dapper;
using LiveHub.Data;
using LiveHub.Data.Polls;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveHub.Tests.Faults;

/// <summary>
/// One person trying to count more than once in a poll: by voting again and again, by clearing the cookie to become someone
/// new, by connecting without a cookie, and by inventing many identities behind one address. The database is the judge.
/// </summary>
public sealed class VoteStuffingTests(ITestOutputHelper output)
{
    /// <summary>One poll of a kind, and the votes a participant sends to it in order: the last one is the one that counts.</summary>
    private sealed record Stuffing(string Kind, IReadOnlyList<CastVoteRequest> Votes, string Expected);

    [Fact]
    public async Task RepeatedVotesOfOneParticipantCountOnceAsTheLatestInEveryKindOfPoll()
    {
        await using var server = await LiveHubServer.StartAsync();
        var e = await server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(server, moderatorOf: e.Code);
        const int repeats = 12;

        CastVoteRequest Vote(long poll, int i, IReadOnlyList<int>? choices = null, int? rating = null, IReadOnlyList<int>? ranking = null, string? text = null) =>
            new(poll, $"repeat-{poll}-{i}", choices, rating, ranking, text, null);
        async Task<long> OpenAsync(PollDraftRequest draft)
        {
            var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), draft);
            await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
            return poll.Id;
        }

        var cases = new List<Stuffing>();
        var single = await OpenAsync(Draft(e.Keynote, PollKinds.Single, ["Kupang", "Ende", "Maumere"]));
        cases.Add(new(PollKinds.Single, [.. Enumerable.Range(0, repeats).Select(i => Vote(single, i, choices: [i % 3]))],
            Tally(("option", (repeats - 1) % 3, 1))));
        var multiple = await OpenAsync(Draft(e.Keynote, PollKinds.Multiple, ["Air", "Jalan", "Listrik", "Sekolah"]) with { MaxPicks = 2 });
        cases.Add(new(PollKinds.Multiple, [.. Enumerable.Range(0, repeats).Select(i => Vote(multiple, i, choices: [i % 4, (i + 1) % 4]))],
            Tally(("option", (repeats - 1) % 4, 1), ("option", repeats % 4, 1))));
        var rating = await OpenAsync(Draft(e.Keynote, PollKinds.Rating, null) with { Scale = 5 });
        cases.Add(new(PollKinds.Rating, [.. Enumerable.Range(0, repeats).Select(i => Vote(rating, i, rating: i % 5 + 1))],
            Tally(("option", (repeats - 1) % 5 + 1, 1))));
        var ranking = await OpenAsync(Draft(e.Keynote, PollKinds.Ranking, ["Air", "Jalan", "Listrik"]));
        int[][] orders = [[0, 1, 2], [2, 0, 1], [1, 2, 0]];
        var lastOrder = orders[(repeats - 1) % 3];
        cases.Add(new(PollKinds.Ranking, [.. Enumerable.Range(0, repeats).Select(i => Vote(ranking, i, ranking: orders[i % 3]))],
            Tally(("option", lastOrder[0], 2), ("option", lastOrder[1], 1), ("option", lastOrder[2], 0))));
        var cloud = await OpenAsync(Draft(e.Keynote, PollKinds.WordCloud, null));
        cases.Add(new(PollKinds.WordCloud, [.. Enumerable.Range(0, repeats).Select(i => Vote(cloud, i, text: $"Kata {i}"))],
            $"word:kata {repeats - 1}"));
        var quiz = await OpenAsync(Draft(e.Keynote, PollKinds.Quiz, ["Kupang", "Ende", "Bajawa"]) with { Correct = [0], TimeLimitSeconds = 600 });
        cases.Add(new(PollKinds.Quiz, [.. Enumerable.Range(0, repeats).Select(i => Vote(quiz, i, choices: [i % 3]))],
            Tally(("option", (repeats - 1) % 3, 1))));

        var acked = 0;
        var lost = 0;
        var doubled = 0;
        foreach (var c in cases)
        {
            // Each kind has its own voter, so the per-participant vote limit (60 a minute) is not what stops the repeats.
            await using var phone = await TestClient.ConnectAsync(server);
            foreach (var vote in c.Votes)
            {
                var stored = await phone.OkAsync<MyVote>(nameof(EventHub.CastVote), vote);
                Assert.Equal(VoteStatus.Counted, stored.Status);
                acked++;
            }
            // A storm of resends of every earlier vote changes nothing: each answers with the vote as it is stored now.
            var resends = await Task.WhenAll(c.Votes.Select(v => phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), v)));
            Assert.All(resends, r => Assert.True(r.Ok, r.Error?.Code));

            var pollId = c.Votes[0].PollId;
            var rows = await server.ScalarAsync("SELECT COUNT(*) FROM votes WHERE poll_id = @pollId", new { pollId });
            var tally = await TallyAsync(server, pollId);
            doubled += (int)Math.Max(0, rows - 1);
            lost += tally == c.Expected ? 0 : 1;
            Assert.True(rows == 1, $"{c.Kind}: {rows} vote rows for one participant");
            Assert.True(tally == c.Expected, $"{c.Kind}: the database holds '{tally}', the latest vote is '{c.Expected}'");
            var results = await ResultsAsync(moderator, e.Keynote, pollId);
            Assert.Equal(1, results.Voters);
        }
        Ledger("vote stuffing: repeats in every kind", acked, lost, doubled);
    }

    [Fact]
    public async Task AClientThatClearsItsCookieIsANewVoterUntilThePerAddressWriteLimitStopsIt()
    {
        const int addressLimit = 10;
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
        {
            ["LiveHub:Questions:WritesPerAddressPerMinute"] = addressLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var e = await server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(server, moderatorOf: e.Code);
        var poll = await OpenSingleAsync(moderator, e.Keynote);

        // The same phone clears its cookies before every vote: each time the page hands it a new participant.
        var participants = new HashSet<string>();
        var answers = new List<HubResult<MyVote>>();
        for (var i = 0; i < addressLimit + 5; i++)
        {
            await using var phone = await TestClient.ConnectAsync(server);
            participants.Add(phone.Cookies.GetCookies(server.BaseUri)[CookieNames.Participant]!.Value);
            answers.Add(await phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll, "the-same-tap", [0], null, null, null, null)));
        }

        Assert.Equal(addressLimit + 5, participants.Count);
        // The first two are two people: a cleared cookie is a new person, and both count.
        Assert.True(answers[0].Ok && answers[1].Ok);
        var acked = answers.Count(a => a.Ok);
        Assert.Equal(addressLimit, acked);
        Assert.All(answers.Skip(addressLimit), a => Assert.Equal((ErrorCodes.SlowDown, true), (a.Error!.Code, a.Error.Retryable)));
        var rows = await server.ScalarAsync("SELECT COUNT(*) FROM votes WHERE poll_id = @poll", new { poll });
        var picks = await server.ScalarAsync("SELECT COUNT(*) FROM vote_choices WHERE poll_id = @poll AND option_index = 0", new { poll });
        Ledger("vote stuffing: cleared cookies", acked, (int)Math.Max(0, acked - rows), (int)Math.Max(0, rows - acked));
        Assert.Equal(acked, rows);
        Assert.Equal(acked, picks);
        Assert.Equal(acked, (await ResultsAsync(moderator, e.Keynote, poll)).Voters);
    }

    [Fact]
    public async Task ManyIdentitiesFromOneAddressShareOnePerAddressWriteLimitForVotesAndQuestions()
    {
        const int addressLimit = 12;
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
        {
            ["LiveHub:Questions:WritesPerAddressPerMinute"] = addressLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var e = await server.CreateEventAsync(ModerationModes.Open);
        await using var moderator = await TestClient.ConnectAsync(server, moderatorOf: e.Code);
        var single = await OpenSingleAsync(moderator, e.Keynote);
        var rating = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), Draft(e.Keynote, PollKinds.Rating, null) with { Scale = 5 });
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(rating.Id));
        var phones = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => TestClient.ConnectAsync(server)));
        try
        {
            // Eight identities at once, three votes each across two polls: twenty-four writes against a limit of twelve.
            var calls = phones.SelectMany((phone, p) => new[]
            {
                (Phone: p, Poll: single, Call: phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(single, $"s-{p}-a", [p % 2], null, null, null, null))),
                (Phone: p, Poll: single, Call: phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(single, $"s-{p}-b", [(p + 1) % 2], null, null, null, null))),
                (Phone: p, Poll: rating.Id, Call: phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(rating.Id, $"r-{p}", null, p % 5 + 1, null, null, null))),
            }).ToList();
            await Task.WhenAll(calls.Select(c => c.Call));

            var acked = calls.Count(c => c.Call.Result.Ok);
            Assert.Equal(addressLimit, acked);
            Assert.All(calls.Where(c => !c.Call.Result.Ok), c => Assert.Equal(ErrorCodes.SlowDown, c.Call.Result.Error!.Code));

            // Each poll holds one vote per identity that got one acknowledged: the latest acknowledged, whatever the order.
            var lost = 0;
            var doubled = 0;
            foreach (var poll in new[] { single, rating.Id })
            {
                var voters = calls.Where(c => c.Poll == poll && c.Call.Result.Ok).Select(c => c.Phone).Distinct().Count();
                var rows = await server.ScalarAsync("SELECT COUNT(*) FROM votes WHERE poll_id = @poll", new { poll });
                var choices = await server.ScalarAsync("SELECT COUNT(*) FROM vote_choices WHERE poll_id = @poll", new { poll });
                lost += (int)Math.Max(0, voters - rows);
                doubled += (int)Math.Max(0, rows - voters) + (int)Math.Max(0, choices - rows);
                Assert.Equal(voters, rows);
                Assert.Equal(rows, choices);
                Assert.Equal(rows, (await ResultsAsync(moderator, e.Keynote, poll)).Voters);
            }
            Ledger("vote stuffing: many identities from one address", acked, lost, doubled);
            Assert.Equal((0, 0), (lost, doubled));

            // The budget is one for every kind of write from the address: a question is refused now too.
            var ask = await phones[0].InvokeAsync<LiveHub.Questions.QuestionView>(nameof(EventHub.AskQuestion),
                new LiveHub.Questions.AskQuestionRequest(e.Keynote, "after-the-votes", "Masih boleh bertanya?", null));
            Assert.Equal(ErrorCodes.SlowDown, ask.Error?.Code);
            Assert.Equal(0, await server.ScalarAsync("SELECT COUNT(*) FROM questions WHERE session_id = @Keynote", new { e.Keynote }));
        }
        finally
        {
            foreach (var phone in phones)
            {
                await phone.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AClientWithoutAParticipantCookieIsRefusedAtTheHandshakeAndNoVoteIsStored()
    {
        await using var server = await LiveHubServer.StartAsync();
        var e = await server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(server, moderatorOf: e.Code);
        var poll = await OpenSingleAsync(moderator, e.Keynote);
        var hub = new UriBuilder(server.BaseUri) { Scheme = "ws", Path = "/hub" }.Uri;

        string?[] cookies = [null, $"{CookieNames.Participant}=", $"{CookieNames.Participant}=CfDJ8forged-participant-id"];
        foreach (var cookie in cookies)
        {
            using var socket = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
            if (cookie is not null)
            {
                socket.Options.SetRequestHeader("Cookie", cookie);
            }
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(hub, CancellationToken.None).WaitAsync(TestClient.Timeout));
            Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
        }
        for (var i = 0; i < 5; i++)
        {
            await using var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(server.BaseUri, "/hub"), o => (o.Transports, o.SkipNegotiation) = (HttpTransportType.WebSockets, true))
                .Build();
            await Assert.ThrowsAnyAsync<Exception>(() => connection.StartAsync().WaitAsync(TestClient.Timeout));
        }

        var rows = await server.ScalarAsync("SELECT COUNT(*) FROM votes WHERE poll_id = @poll", new { poll });
        Ledger("vote stuffing: cookie-less clients", 0, 0, (int)rows);
        Assert.Equal(0, rows);
    }

    private static PollDraftRequest Draft(long sessionId, string kind, IReadOnlyList<string>? options) =>
        new(sessionId, kind, $"Pertanyaan {kind}?", options, null, null, null, null, PollVisibility.Live);

    private static async Task<long> OpenSingleAsync(TestClient moderator, long sessionId)
    {
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), Draft(sessionId, PollKinds.Single, ["Kupang", "Ende"]));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        return poll.Id;
    }

    private static string Tally(params (string Type, int Index, int Points)[] rows) =>
        string.Join(", ", rows.OrderBy(r => r.Index).Select(r => $"{r.Type}:{r.Index}={r.Points}"));

    /// <summary>What the database counts for a poll: its choice rows (option and points) or its words.</summary>
    private static async Task<string> TallyAsync(LiveHubServer server, long pollId)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var choices = await connection.QueryAsync<(long Index, long Points)>(
            "SELECT option_index, points FROM vote_choices WHERE poll_id = @pollId ORDER BY option_index", new { pollId });
        var words = await connection.QueryAsync<string>("SELECT word FROM vote_words WHERE poll_id = @pollId ORDER BY word", new { pollId });
        return string.Join(", ", choices.Select(c => $"option:{c.Index}={c.Points}").Concat(words.Select(w => $"word:{w}")));
    }

    /// <summary>The poll's results as the moderator's screen gets them in a fresh snapshot.</summary>
    private static async Task<PollResults> ResultsAsync(TestClient moderator, long sessionId, long pollId)
    {
        var snapshot = await moderator.JoinAsync(sessionId, SessionViews.Moderator);
        return snapshot.Results.Single(r => r.PollId == pollId);
    }


    private void Ledger(string name, int acked, int lost, int doubled) =>
        FaultLedger.Record(name, acked, lost, doubled, output);
}
