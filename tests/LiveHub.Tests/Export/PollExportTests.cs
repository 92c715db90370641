using System.Globalization;
using System.Text;
using Dapper;
using LiveHub.Data;
using LiveHub.Data.Polls;
using LiveHub.Events;
using LiveHub.Export;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LiveHub.Tests.Export;

[Collection(AdminServerCollection.Name)]
public sealed class PollExportTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task PollExportEqualsTheTallyTheScreensShow()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var phones = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => TestClient.ConnectAsync(Server)));
        try
        {
            var single = await LaunchAsync(moderator, new PollDraftRequest(e.Panel, PollKinds.Single, "Masalah kota mana yang paling mendesak?",
                ["Kemacetan", "Keamanan warga", "Penumpukan sampah"], null, null, null, null, PollVisibility.Hidden));
            var rating = await LaunchAsync(moderator, new PollDraftRequest(e.Panel, PollKinds.Rating, "Seberapa siap daerah Anda?", null, null, 5, null, null, null));
            var ranking = await LaunchAsync(moderator, new PollDraftRequest(e.Panel, PollKinds.Ranking, "Urutkan prioritas", ["Jaringan", "SDM", "Anggaran"], null, null, null, null, null));
            var words = await LaunchAsync(moderator, new PollDraftRequest(e.Panel, PollKinds.WordCloud, "Satu kata untuk smart city?", null, null, null, null, null, null));
            var text = await LaunchAsync(moderator, new PollDraftRequest(e.Panel, PollKinds.Text, "Saran untuk panitia?", null, null, null, null, null, null));
            await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(e.Panel, PollKinds.Single, "Belum dibuka", ["Ya", "Tidak"], null, null, null, null, null));

            for (var i = 0; i < phones.Length; i++)
            {
                var phone = phones[i];
                await Vote(phone, single.Id, choices: [i % 2]);
                await Vote(phone, rating.Id, rating: i + 1);
                await Vote(phone, ranking.Id, ranking: i % 2 == 0 ? [0, 1, 2] : [2, 1, 0]);
                await Vote(phone, words.Id, text: i < 3 ? "Kota Pintar!" : "digital");
                await Vote(phone, text.Id, text: $"Saran nomor {i}, \"penting\"", name: i == 0 ? "Ani" : null);
            }
            await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(single.Id));
            var answerIds = await AnswerIdsAsync(text.Id);
            await moderator.OkAsync<AnswerResult>(nameof(EventHub.ModeratePollAnswer), new ModeratePollAnswerRequest(text.Id, answerIds[0], "approve"));
            await moderator.OkAsync<AnswerResult>(nameof(EventHub.ModeratePollAnswer), new ModeratePollAnswerRequest(text.Id, answerIds[1], "approve"));
            await moderator.OkAsync<AnswerResult>(nameof(EventHub.ModeratePollAnswer), new ModeratePollAnswerRequest(text.Id, answerIds[2], "dismiss"));

            var export = await moderator.Http.GetFromJsonAsync<PollExport>($"/api/sessions/{e.Panel}/export/polls.json");
            var csvBytes = await moderator.Http.GetByteArrayAsync($"/api/sessions/{e.Panel}/export/polls.csv");
            var records = CsvReader.Records(Encoding.UTF8.GetString(csvBytes, 3, csvBytes.Length - 3));

            // Five run here, one draft, and the rating the demo prepares for the panel.
            Assert.Equal(7, export!.Polls.Count);
            var store = Server.Services.GetRequiredService<PollStore>();
            foreach (var item in export.Polls)
            {
                var tally = await store.TallyAsync(item.Id, advance: false, CancellationToken.None);
                var screen = PollResultsBuilder.Build(tally!, [], forModerators: true, present: null);
                Assert.Equal(screen.Voters, item.Voters);
                Assert.Equal(screen.Average, item.Average);
                Assert.Equal(screen.Options.Select(o => (o.Index, o.Label, o.Votes)), item.Options.Select(o => (o.Index, o.Label, o.Votes)));
                if (item.Kind == PollKinds.Ranking)
                {
                    Assert.Equal(screen.Options.Select(o => (long?)o.Points), item.Options.Select(o => o.Points));
                }
                else
                {
                    Assert.Equal(screen.Options.Select(o => o.Percent), item.Options.Select(o => o.Percent));
                }
                Assert.Equal(screen.Words, item.Words);
                Assert.Equal(tally!.Poll.Status, item.Status);
            }
            var exportedSingle = export.Polls.Single(p => p.Id == single.Id);
            Assert.Equal((5L, "closed", 3L, 2L, 0L), (exportedSingle.Voters, exportedSingle.Status, exportedSingle.Options[0].Votes, exportedSingle.Options[1].Votes, exportedSingle.Options[2].Votes));
            Assert.Equal(3.0, export.Polls.Single(p => p.Id == rating.Id).Average);
            Assert.Equal(new long?[] { 6L, 5L, 4L }.Order(), export.Polls.Single(p => p.Id == ranking.Id).Options.Select(o => o.Points).Order());
            Assert.Equal(("kota pintar", 3L), (export.Polls.Single(p => p.Id == words.Id).Words[0].Word, export.Polls.Single(p => p.Id == words.Id).Words[0].Votes));
            var answers = export.Polls.Single(p => p.Id == text.Id).Answers;
            Assert.Equal(answerIds[..2].Order(), answers.Select(a => a.Id).Order());

            // The CSV: one row per option, rated value, word or approved answer, with the same numbers.
            var singleRows = records.Where(r => r["poll_id"] == single.Id.ToString(CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(exportedSingle.Options.Select(o => (o.Label, o.Votes.ToString(CultureInfo.InvariantCulture), o.Percent.ToString(CultureInfo.InvariantCulture))),
                singleRows.Select(r => (r["item"], r["votes"], r["percent"])));
            Assert.All(singleRows, r => Assert.Equal(("option", "5", "single"), (r["item_type"], r["voters"], r["kind"])));
            Assert.Equal(5, records.Count(r => r["poll_id"] == rating.Id.ToString(CultureInfo.InvariantCulture) && r["item_type"] == "rating"));
            Assert.Equal("3", records.First(r => r["poll_id"] == rating.Id.ToString(CultureInfo.InvariantCulture))["average"]);
            Assert.Equal(answers.Select(a => a.Text).Order(), records.Where(r => r["item_type"] == "answer").Select(r => r["item"]).Order());
            Assert.Single(records, r => r["question"] == "Belum dibuka" && r["status"] == "draft" && r["item"] == "Ya");
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
    public async Task AnEventsPollExportCoversEverySession()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(e.Panel, PollKinds.Rating, "Nilai panel ini", null, null, 10, null, null, null));

        var export = await moderator.Http.GetFromJsonAsync<PollExport>($"/api/events/{e.Code}/export/polls.json");

        // The demo's three prepared polls, plus this one.
        Assert.Equal(4, export!.Polls.Count);
        Assert.Null(export.Scope.SessionId);
        Assert.Contains(export.Polls, p => p.SessionKey == "panel-regions" && p.Question == "Nilai panel ini" && p.Options.Count == 10);
    }

    [Fact]
    public async Task OnlyARankingExportsPoints()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(Server);
        var single = await LaunchAsync(moderator, new PollDraftRequest(e.Panel, PollKinds.Single, "Pilih satu", ["A", "B"], null, null, null, null, null));
        var multiple = await LaunchAsync(moderator, new PollDraftRequest(e.Panel, PollKinds.Multiple, "Pilih dua", ["A", "B", "C"], 2, null, null, null, null));
        var rating = await LaunchAsync(moderator, new PollDraftRequest(e.Panel, PollKinds.Rating, "Beri nilai", null, null, 5, null, null, null));
        var quiz = await LaunchAsync(moderator, new PollDraftRequest(e.Panel, PollKinds.Quiz, "Ibu kota NTT?", ["Kupang", "Ende"], null, null, [0], 60, null));
        var ranking = await LaunchAsync(moderator, new PollDraftRequest(e.Panel, PollKinds.Ranking, "Urutkan", ["A", "B", "C"], null, null, null, null, null));
        await Vote(phone, single.Id, choices: [0]);
        await Vote(phone, multiple.Id, choices: [0, 2]);
        await Vote(phone, rating.Id, rating: 4);
        await Vote(phone, quiz.Id, choices: [0]);
        await Vote(phone, ranking.Id, ranking: [1, 0, 2]);

        var json = await PollsJsonAsync(moderator, $"/api/sessions/{e.Panel}/export/polls.json");
        var records = await PollsCsvAsync(moderator, $"/api/sessions/{e.Panel}/export/polls.csv");

        foreach (var poll in new[] { single, multiple, rating, quiz })
        {
            Assert.All(json[poll.Id]["options"]!.AsArray(), o => Assert.Null(o!["points"]));
            Assert.All(records.Where(r => r["poll_id"] == Id(poll)), r => Assert.Equal("", r["points"]));
        }
        Assert.Equal([1L, 2L, 0L], json[ranking.Id]["options"]!.AsArray().Select(o => o!["points"]!.GetValue<long>()));
        Assert.Equal(["1", "2", "0"], records.Where(r => r["poll_id"] == Id(ranking)).Select(r => r["points"]));
    }

    [Fact]
    public async Task ARankingsPercentIsItsShareOfAllBordaPoints()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var ani = await TestClient.ConnectAsync(Server);
        await using var budi = await TestClient.ConnectAsync(Server);
        var ranking = await LaunchAsync(moderator, new PollDraftRequest(e.Panel, PollKinds.Ranking, "Urutkan prioritas", ["Jaringan", "SDM", "Anggaran"], null, null, null, null, null));
        var single = await LaunchAsync(moderator, new PollDraftRequest(e.Panel, PollKinds.Single, "Pilih satu", ["Ya", "Tidak"], null, null, null, null, null));
        await Vote(ani, ranking.Id, ranking: [0, 1, 2]);
        await Vote(budi, ranking.Id, ranking: [0, 2, 1]);
        await Vote(ani, single.Id, choices: [0]);
        await Vote(budi, single.Id, choices: [1]);

        var json = await PollsJsonAsync(moderator, $"/api/sessions/{e.Panel}/export/polls.json");
        var records = await PollsCsvAsync(moderator, $"/api/sessions/{e.Panel}/export/polls.csv");

        // Points 4, 1 and 1 of 6: what the screens show as points, as a share that adds up to 100.
        Assert.Equal([66.7, 16.7, 16.7], json[ranking.Id]["options"]!.AsArray().Select(o => o!["percent"]!.GetValue<double>()));
        Assert.Equal(["66.7", "16.7", "16.7"], records.Where(r => r["poll_id"] == Id(ranking)).Select(r => r["percent"]));
        // Other kinds keep the share of voters.
        Assert.Equal([50.0, 50.0], json[single.Id]["options"]!.AsArray().Select(o => o!["percent"]!.GetValue<double>()));
    }

    private static string Id(PollView poll) => poll.Id.ToString(CultureInfo.InvariantCulture);

    private static async Task<Dictionary<long, JsonNode>> PollsJsonAsync(TestClient client, string url) =>
        JsonNode.Parse(await client.Http.GetStringAsync(url))!["polls"]!.AsArray().ToDictionary(p => p!["id"]!.GetValue<long>(), p => p!);

    private static async Task<List<Dictionary<string, string>>> PollsCsvAsync(TestClient client, string url)
    {
        var bytes = await client.Http.GetByteArrayAsync(url);
        return CsvReader.Records(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
    }

    private static async Task<PollView> LaunchAsync(TestClient moderator, PollDraftRequest draft)
    {
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), draft);
        return await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
    }

    private static Task<MyVote> Vote(TestClient phone, long pollId, int[]? choices = null, int? rating = null, int[]? ranking = null, string? text = null, string? name = null) =>
        phone.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(pollId, Guid.NewGuid().ToString("N"), choices, rating, ranking, text, name));

    private async Task<long[]> AnswerIdsAsync(long pollId)
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<long>("SELECT id FROM votes WHERE poll_id = @pollId ORDER BY id", new { pollId })).ToArray();
    }
}
