using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using LiveHub.Data.Questions;
using LiveHub.Data;
using LiveHub.Events;
using LiveHub.Export;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using LiveHub.Web.Export;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Export;

[Collection(AdminServerCollection.Name)]
public sealed class QuestionExportTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task QuestionExportsParseAndMatchTheDatabase()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var ani = await TestClient.ConnectAsync(Server);
        await using var budi = await TestClient.ConnectAsync(Server);
        var q1 = await ani.AskAsync(e.Keynote, "Bagaimana kota kecil, dengan anggaran \"terbatas\",\nbisa memulai smart city?", "Ani");
        var q2 = await ani.AskAsync(e.Keynote, "Apakah ada dukungan pusat untuk desa?");
        var q3 = await budi.AskAsync(e.Keynote, "Kapan materi dibagikan?", "Budi");
        var q4 = await budi.AskAsync(e.Panel, "Bagaimana Banyuwangi memulai?");
        await moderator.ModerateAsync(e.Keynote, q1.Id, ModerationActions.Approve);
        await moderator.ModerateAsync(e.Keynote, q2.Id, ModerationActions.Approve);
        await moderator.ModerateAsync(e.Keynote, q2.Id, ModerationActions.Answer);
        await moderator.ModerateAsync(e.Keynote, q3.Id, ModerationActions.Dismiss);
        await budi.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(q1.Id, true));
        await moderator.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(q1.Id, true));

        var csvBytes = await moderator.Http.GetByteArrayAsync($"/api/events/{e.Code}/export/questions.csv");
        var jsonText = await moderator.Http.GetStringAsync($"/api/events/{e.Code}/export/questions.json");
        var csv = Encoding.UTF8.GetString(csvBytes, 3, csvBytes.Length - 3);
        var records = CsvReader.Records(csv);
        var json = System.Text.Json.JsonSerializer.Deserialize<QuestionExport>(jsonText, System.Text.Json.JsonSerializerOptions.Web)!;
        var truth = await QuestionsAsync(e.Id);

        Assert.Equal([0xEF, 0xBB, 0xBF], csvBytes[..3]);
        Assert.Equal(ExportApi.QuestionColumns, CsvReader.Parse(csv)[0]);
        Assert.Equal(truth.Select(t => t.Id), records.Select(r => long.Parse(r["question_id"], CultureInfo.InvariantCulture)).Order());
        Assert.Equal(truth.Select(t => t.Id), json.Questions.Select(q => q.Id).Order());
        foreach (var t in truth)
        {
            var row = records.Single(r => r["question_id"] == t.Id.ToString(CultureInfo.InvariantCulture));
            var item = json.Questions.Single(q => q.Id == t.Id);
            Assert.Equal((t.Text, t.AuthorName ?? "", t.Status, t.Upvotes.ToString(CultureInfo.InvariantCulture), t.SessionId.ToString(CultureInfo.InvariantCulture)),
                (row["text"], row["author_name"], row["status"], row["upvotes"], row["session_id"]));
            Assert.Equal((t.Text, t.AuthorName, t.Status, t.Upvotes, t.SessionId), (item.Text, item.AuthorName, item.Status, item.Upvotes, item.SessionId));
            Assert.Equal(t.CreatedAt, DateTimeOffset.Parse(row["created_at_utc"], CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
            Assert.Equal(t.CreatedAt, DateTimeOffset.Parse(row["created_at_local"], CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
            Assert.EndsWith("Z", row["created_at_utc"]);
            Assert.EndsWith("+08:00", row["created_at_local"]);
            Assert.Equal(t.AnsweredAt, item.AnsweredAt is null ? null : DateTimeOffset.Parse(item.AnsweredAt, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
            Assert.Equal(row["participant"], item.Participant ?? "");
            if (t.AuthorName is null)
            {
                // An anonymous question carries no pseudonym that would tie it to its author's named ones.
                Assert.Null(item.Participant);
            }
            else
            {
                Assert.Matches("^[0-9a-f]{10}$", item.Participant);
            }
        }
        Assert.Equal(2, json.Questions.Single(q => q.Id == q1.Id).Upvotes);
        Assert.Equal(QuestionStatus.Answered, json.Questions.Single(q => q.Id == q2.Id).Status);
        Assert.Equal("Keynote: Strategi Pengembangan Smart City", json.Questions.Single(q => q.Id == q1.Id).SessionTitle);
        Assert.Equal("Aula Utama", json.Questions.Single(q => q.Id == q4.Id).Room);

        // One pseudonym per person who gave a name, never their id.
        var byParticipant = truth.Where(t => t.AuthorName is not null).GroupBy(t => t.ParticipantId).ToDictionary(g => g.Key, g => json.Questions.Where(q => g.Any(t => t.Id == q.Id)).Select(q => q.Participant).Distinct().ToList());
        Assert.All(byParticipant.Values, p => Assert.Single(p));
        Assert.Equal(byParticipant.Count, byParticipant.Values.Select(p => p[0]).Distinct().Count());
        foreach (var participant in await ParticipantIdsAsync())
        {
            Assert.DoesNotContain(participant, csv);
            Assert.DoesNotContain(participant, jsonText);
        }
    }

    [Fact]
    public async Task PseudonymsAreStableWithinAnEventAndDifferAcrossEvents()
    {
        var first = await Server.CreateEventAsync();
        var second = await Server.CreateEventAsync();
        using var admin = await AdminHttp.SignInAsync(Server);
        await using var phone = await TestClient.ConnectAsync(Server);
        await phone.AskAsync(first.Keynote, "Pertanyaan pertama", "Ani");
        await phone.AskAsync(first.Panel, "Pertanyaan kedua", "Ani");
        await phone.AskAsync(second.Keynote, "Pertanyaan di acara lain", "Ani");

        var a = await admin.Http.GetFromJsonAsync<QuestionExport>($"/api/events/{first.Code}/export/questions.json");
        var again = await admin.Http.GetFromJsonAsync<QuestionExport>($"/api/events/{first.Code}/export/questions.json");
        var b = await admin.Http.GetFromJsonAsync<QuestionExport>($"/api/events/{second.Code}/export/questions.json");

        var pseudonym = Assert.Single(a!.Questions.Select(q => q.Participant).Distinct());
        Assert.Equal(pseudonym, Assert.Single(again!.Questions.Select(q => q.Participant).Distinct()));
        Assert.NotEqual(pseudonym, Assert.Single(b!.Questions).Participant);
    }

    [Fact]
    public async Task ASessionExportHoldsOnlyThatSession()
    {
        var e = await Server.CreateEventAsync(ModerationModes.Open);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(Server);
        await phone.AskAsync(e.Keynote, "Di keynote");
        await phone.AskAsync(e.Panel, "Di panel");

        var json = await moderator.Http.GetFromJsonAsync<QuestionExport>($"/api/sessions/{e.Panel}/export/questions.json");
        using var csv = await moderator.Http.GetAsync($"/api/sessions/{e.Panel}/export/questions.csv");

        Assert.Equal(e.Panel, json!.Scope.SessionId);
        Assert.Equal("Di panel", Assert.Single(json.Questions).Text);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"{e.Code}-panel-regions-questions.csv", csv.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        Assert.Single(CsvReader.Records(Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync())[3..])));
    }

    [Fact]
    public async Task TextThatASpreadsheetWouldRunAsAFormulaStaysText()
    {
        var e = await Server.CreateEventAsync(ModerationModes.Open);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(Server);
        string[] texts = ["=HYPERLINK(\"http://evil.example\",\"klik\")", "+62 812 3456", "-1+1", "@SUM(A1:A9)"];
        foreach (var text in texts)
        {
            await phone.AskAsync(e.Keynote, text, "=cmd|' /C calc'!A0");
        }

        var csvBytes = await moderator.Http.GetByteArrayAsync($"/api/events/{e.Code}/export/questions.csv");
        var records = CsvReader.Records(Encoding.UTF8.GetString(csvBytes, 3, csvBytes.Length - 3));
        var json = await moderator.Http.GetFromJsonAsync<QuestionExport>($"/api/events/{e.Code}/export/questions.json");

        Assert.Equal(texts.Select(t => "'" + t).Order(), records.Select(r => r["text"]).Order());
        Assert.All(records, r => Assert.Equal("'=cmd|' /C calc'!A0", r["author_name"]));
        Assert.Equal(texts.Order(), json!.Questions.Select(q => q.Text).Order());
    }

    [Fact]
    public async Task ExportsNeedAModeratorOfTheEventOrTheOrganizer()
    {
        var e = await Server.CreateEventAsync();
        var other = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        using var admin = await AdminHttp.SignInAsync(Server);
        using var anonymous = AdminHttp.Anonymous(Server);

        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.Http.GetAsync($"/api/events/{e.Code}/export/questions.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.Http.GetAsync($"/api/sessions/{e.Keynote}/export/polls.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.Http.GetAsync($"/api/events/{other.Code}/export/questions.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.Http.GetAsync($"/api/sessions/{other.Keynote}/export/polls.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await moderator.Http.GetAsync($"/api/sessions/{e.Keynote}/export/polls.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync($"/api/events/{other.Code}/export/polls.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"/api/events/{other.Code}/export/answers.xlsx")).StatusCode);
    }

    private async Task<List<QuestionTruth>> QuestionsAsync(long eventId)
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<QuestionTruth>("""
            SELECT q.id, q.session_id, q.participant_id, q.author_name, q.text, q.status, q.upvotes, q.created_at, q.answered_at
            FROM questions q JOIN sessions s ON s.id = q.session_id WHERE s.event_id = @eventId ORDER BY q.id
            """, new { eventId })).AsList();
    }

    private async Task<List<string>> ParticipantIdsAsync()
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<string>("SELECT id FROM participants")).AsList();
    }

    private sealed record QuestionTruth
    {
        public long Id { get; init; }
        public long SessionId { get; init; }
        public string ParticipantId { get; init; } = "";
        public string? AuthorName { get; init; }
        public string Text { get; init; } = "";
        public string Status { get; init; } = "";
        public long Upvotes { get; init; }
        public long CreatedAt { get; init; }
        public long? AnsweredAt { get; init; }
    }
}

public sealed class CsvTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData("Menunggu persetujuan", "Menunggu persetujuan")]
    public void CellsAreQuotedByRfc4180AndFormulasMadeInert(string value, string expected) => Assert.Equal(expected, Csv.Cell(value));

    [Fact]
    public void NumbersAndTimesAreWrittenTheSameInEveryCulture()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("id-ID");
        try
        {
            Assert.Equal("12.5", Csv.Cell(12.5));
            Assert.Equal("-3", Csv.Cell(-3L));
            Assert.Equal("", Csv.Cell(null));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
