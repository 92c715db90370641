using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using LiveHub.Data;
using LiveHub.Data.Questions;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Export;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveHub.Tests.Faults;

/// <summary>
/// An anonymous question is anonymous everywhere: in every frame the audience, the projector and the moderators receive, in the
/// exports, the report's data, the audit log and the pages. Only its author's own tabs learn it is theirs.
/// </summary>
public sealed class AnonymousPayloadTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every field a question view may carry (docs/protocol.md, QuestionView): none of them names a participant.</summary>
    private static readonly HashSet<string> QuestionFields =
        ["id", "sessionId", "text", "authorName", "upvotes", "status", "createdAt", "answeredAt", "clientId", "reply", "repliedAt", "labels", "flagged", "mergedIntoId"];

    [Fact]
    public async Task AnAnonymousQuestionCarriesNoParticipantNameCookieOrPseudonymInAnyFrameExportReportOrPage()
    {
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?> { ["LiveHub:Questions:UpvoteFlushMilliseconds"] = "100" });
        var e = await server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(server, moderatorOf: e.Code);
        await moderator.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        await using var author = await TestClient.ConnectAsync(server);
        await author.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        await author.JoinAsync(e.Keynote);
        await using var budi = await TestClient.ConnectAsync(server);
        await budi.JoinAsync(e.Keynote);

        // The screens whose every frame is kept: a phone, the projector, a moderator's second tab and the author's second tab.
        await using var audience = await RawHub.ConnectAsync(server);
        await using var projector = await RawHub.ConnectAsync(server);
        await using var moderatorTab = await RawHub.ConnectAsync(server, moderator.Cookies);
        await using var authorTab = await RawHub.ConnectAsync(server, author.Cookies);
        var screens = new (string Name, RawHub Hub, string View)[]
        {
            ("audience", audience, SessionViews.Audience), ("projector", projector, SessionViews.Projector),
            ("moderator's tab", moderatorTab, SessionViews.Moderator), ("author's other tab", authorTab, SessionViews.Audience),
        };
        foreach (var (name, hub, view) in screens)
        {
            Assert.Equal(true, (await hub.InvokeAsync("e", nameof(EventHub.JoinEvent), JsonSerializer.Serialize(new[] { e.Code })))?["result"]?["ok"]?.GetValue<bool>());
            Assert.Equal(true, (await hub.InvokeAsync("s", nameof(EventHub.JoinSession), JsonSerializer.Serialize(new object[] { e.Keynote, view })))?["result"]?["ok"]?.GetValue<bool>());
        }

        // The author asks anonymously (a blank name is no name), names themself on another question, and asks a duplicate.
        const string authorName = "Maria Oebobo";
        var anonymous = await author.AskAsync(e.Keynote, "ANON-1 Kapan air bersih sampai ke Oesapa?", "   ");
        var named = await author.AskAsync(e.Keynote, "Bagaimana dengan sekolah?", authorName);
        var duplicate = await author.AskAsync(e.Keynote, "ANON-2 Air bersih ke Oesapa kapan?");
        var other = await budi.AskAsync(e.Keynote, "Kapan jalan diperbaiki?", "Budi");
        foreach (var q in new[] { anonymous, named, duplicate, other })
        {
            await moderator.ModerateAsync(e.Keynote, q.Id, ModerationActions.Approve);
        }
        await budi.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(anonymous.Id, true));
        Assert.Equal(true, (await audience.InvokeAsync("u", nameof(EventHub.Upvote),
            JsonSerializer.Serialize(new[] { new UpvoteRequest(anonymous.Id, true) }, Json)))?["result"]?["ok"]?.GetValue<bool>());
        await moderator.OkAsync<QuestionView>(nameof(EventHub.EditQuestion), new EditQuestionRequest(e.Keynote, anonymous.Id, "ANON-1 Kapan air bersih sampai di Oesapa?"));
        await moderator.OkAsync<QuestionView>(nameof(EventHub.ReplyToQuestion), new ReplyToQuestionRequest(e.Keynote, anonymous.Id, "Tahun depan."));
        await moderator.OkAsync<QuestionView>(nameof(EventHub.LabelQuestion), new LabelQuestionRequest(e.Keynote, anonymous.Id, ["air"]));
        await moderator.ModerateAsync(e.Keynote, anonymous.Id, ModerationActions.Show);
        // The anonymous duplicate goes into it, and so does another person's named question.
        await moderator.OkAsync<QuestionView>(nameof(EventHub.MergeQuestions), new MergeQuestionsRequest(e.Keynote, duplicate.Id, anonymous.Id));
        await moderator.OkAsync<QuestionView>(nameof(EventHub.MergeQuestions), new MergeQuestionsRequest(e.Keynote, other.Id, anonymous.Id));
        await moderator.ModerateAsync(e.Keynote, anonymous.Id, ModerationActions.Answer);
        long upvotes;
        await using (var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None))
        {
            upvotes = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM upvotes WHERE question_id = @Id", new { anonymous.Id });
        }
        await TestClient.EventuallyAsync(() => moderator.Received.Any(r => r.Payload is UpvotesDelta d && d.Counts.Any(c => c.QuestionId == anonymous.Id && c.Upvotes == upvotes)),
            "the merged upvotes are pushed");

        // One push after everything: once each screen has it, it has everything before it.
        await moderator.OkAsync<SessionView>(nameof(EventHub.SetModerationMode), new SetModerationModeRequest(e.Keynote, ModerationModes.Open));
        foreach (var (_, hub, _) in screens)
        {
            Assert.NotNull(await hub.EventAsync(m => (string?)m["target"] == nameof(ILiveClient.ModerationModeChanged)));
        }
        Assert.NotNull(await authorTab.EventAsync(m => (string?)m["target"] == nameof(ILiveClient.MyQuestionChanged)
            && (long?)m["arguments"]?[0]?["id"] == anonymous.Id && (string?)m["arguments"]?[0]?["status"] == QuestionStatus.Answered));

        // What would tie the anonymous questions to their author.
        string participantId;
        await using (var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None))
        {
            participantId = await connection.ExecuteScalarAsync<string>("SELECT participant_id FROM questions WHERE id = @Id", new { anonymous.Id }) ?? "";
            var stored = (await connection.QueryAsync<(long Id, string? AuthorName)>(
                "SELECT id, author_name FROM questions WHERE id IN @Ids", new { Ids = new[] { anonymous.Id, named.Id, duplicate.Id, other.Id } })).ToList();
            Assert.Equal(4, stored.Count);
            Assert.All(stored.Where(s => s.Id == anonymous.Id || s.Id == duplicate.Id), s => Assert.Null(s.AuthorName));
            FaultLedger.Record("Anonymous questions carry no identity", 4, 4 - stored.Count, 0, output);
        }
        var anonymousIds = new HashSet<long> { anonymous.Id, duplicate.Id };
        var secrets = new Dictionary<string, string>
        {
            ["the author's participant id"] = participantId,
            ["the author's participant cookie"] = author.Cookies.GetCookies(server.BaseUri)[CookieNames.Participant]!.Value,
        };
        // Their client ids are the author's alone: they reach the author's own tabs and no one else.
        var authorsOwn = new Dictionary<string, string>
        {
            ["the anonymous question's client id"] = anonymous.ClientId!,
            ["the duplicate's client id"] = duplicate.ClientId!,
        };
        var failures = new List<string>();

        void Check(string where, string payload, bool authorsTab)
        {
            foreach (var (what, secret) in authorsTab ? secrets : secrets.Concat(authorsOwn))
            {
                if (payload.Contains(secret, StringComparison.Ordinal))
                {
                    failures.Add($"{where}: {what}");
                }
            }
            if (TryParse(payload) is not { } node)
            {
                return;
            }
            foreach (var question in QuestionObjects(node).Where(q => anonymousIds.Contains((long?)q["id"] ?? 0)))
            {
                var extra = question.Select(p => p.Key).Where(k => !QuestionFields.Contains(k)).ToList();
                if (extra.Count > 0)
                {
                    failures.Add($"{where}: question {question["id"]} carries {string.Join(", ", extra)}");
                }
                if (question["authorName"] is { } name && !string.IsNullOrWhiteSpace((string?)name))
                {
                    failures.Add($"{where}: question {question["id"]} has the name '{name}'");
                }
                if (question.ToJsonString().Contains(authorName, StringComparison.Ordinal))
                {
                    failures.Add($"{where}: question {question["id"]} mentions its author's name");
                }
                if (!authorsTab && question["clientId"] is { } clientId && clientId.GetValueKind() != JsonValueKind.Null)
                {
                    failures.Add($"{where}: question {question["id"]} has its client id");
                }
            }
        }

        // Every frame every screen received.
        foreach (var (name, hub, _) in screens)
        {
            foreach (var record in hub.Records)
            {
                var frame = JsonNode.Parse(record)!.AsObject();
                var target = (string?)frame["target"] ?? $"completion {frame["invocationId"]}";
                // The author's own tab may hear its client ids in MyQuestionChanged and in its own snapshot (`mine`), nowhere else.
                var ownView = hub == authorTab && (target == nameof(ILiveClient.MyQuestionChanged) || (int?)frame["type"] == 3);
                Check($"{name} {target}", record, ownView);
            }
            output.WriteLine($"{name}: {hub.Records.Count} frames checked");
        }
        // What the moderator's and the other person's own clients were told.
        foreach (var (name, client) in new[] { ("moderator", moderator), ("Budi", budi) })
        {
            foreach (var (target, payload) in client.Received)
            {
                Check($"{name} {target}", JsonSerializer.Serialize(payload, payload.GetType(), Json), authorsTab: false);
            }
        }

        // Exports, the report and its data, the audit log, the pages.
        string[] moderatorPaths =
        [
            $"/api/events/{e.Code}/export/questions.csv", $"/api/events/{e.Code}/export/questions.json",
            $"/api/sessions/{e.Keynote}/export/questions.csv", $"/api/sessions/{e.Keynote}/export/questions.json",
            $"/api/sessions/{e.Keynote}?view=moderator", $"/api/events/{e.Code}/audit", $"/e/{e.Code}/report?session={e.Keynote}",
            $"/e/{e.Code}/moderator", $"/api/events/{e.Code}",
        ];
        string[] audiencePaths = [$"/api/sessions/{e.Keynote}?view=audience", $"/api/sessions/{e.Keynote}?view=projector", $"/e/{e.Code}", $"/e/{e.Code}/projector?session={e.Keynote}"];
        var exports = new Dictionary<string, string>();
        foreach (var (who, client, paths) in new[] { ("moderator", moderator, moderatorPaths), ("Budi", budi, audiencePaths), ("author", author, audiencePaths) })
        {
            foreach (var path in paths)
            {
                using var response = await client.Http.GetAsync(path);
                response.EnsureSuccessStatusCode();
                var body = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF');
                exports[$"{who} {path}"] = body;
                Check($"{who} GET {path}", body, authorsTab: who == "author");
            }
        }

        // The exports name no one for an anonymous question: no name, and no pseudonym shared with the author's named one.
        foreach (var (path, body) in exports.Where(x => x.Key.Contains("export/questions.json", StringComparison.Ordinal)))
        {
            var rows = JsonNode.Parse(body)!["questions"]!.AsArray().Select(q => q!.AsObject()).ToList();
            var namedPseudonym = (string?)rows.Single(q => (long?)q["id"] == named.Id)["participant"];
            Assert.False(string.IsNullOrEmpty(namedPseudonym), $"{path}: a named question keeps its pseudonym");
            foreach (var row in rows.Where(q => anonymousIds.Contains((long?)q["id"] ?? 0)))
            {
                if (row["participant"] is { } pseudonym && pseudonym.GetValueKind() != JsonValueKind.Null)
                {
                    failures.Add($"{path}: anonymous question {row["id"]} has the pseudonym {pseudonym}{((string?)pseudonym == namedPseudonym ? ", the same as its author's named question" : "")}");
                }
                if (row["authorName"] is { } name && name.GetValueKind() != JsonValueKind.Null)
                {
                    failures.Add($"{path}: anonymous question {row["id"]} has the name '{name}'");
                }
            }
        }
        foreach (var (path, body) in exports.Where(x => x.Key.Contains("export/questions.csv", StringComparison.Ordinal)))
        {
            var records = CsvReader.Records(body);
            var namedPseudonym = records.Single(r => r["question_id"] == $"{named.Id}")["participant"];
            foreach (var row in records.Where(r => anonymousIds.Contains(long.Parse(r["question_id"], System.Globalization.CultureInfo.InvariantCulture))))
            {
                if (row["participant"] != "" || row["author_name"] != "")
                {
                    failures.Add($"{path}: anonymous question {row["question_id"]} has participant '{row["participant"]}' (named: '{namedPseudonym}') and name '{row["author_name"]}'");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} ties to the author:\n" + string.Join("\n", failures.Distinct().Take(40)));
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Every object in a payload that is a question as screens see it (it has an id, text, status and upvotes).</summary>
    private static IEnumerable<JsonObject> QuestionObjects(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o.ContainsKey("id") && o.ContainsKey("text") && o.ContainsKey("status") && o.ContainsKey("upvotes") && !o.ContainsKey("sessionKey"))
                {
                    yield return o;
                }
                foreach (var child in o.Select(p => p.Value).OfType<JsonNode>().SelectMany(QuestionObjects))
                {
                    yield return child;
                }
                break;
            case JsonArray a:
                foreach (var child in a.OfType<JsonNode>().SelectMany(QuestionObjects))
                {
                    yield return child;
                }
                break;
        }
    }
}
