using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveHub.Admin;
using LiveHub.Announcements;
using LiveHub.Events;
using LiveHub.Moderation;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveHub.Tests.Limits;

/// <summary>The server owns every limit: the pages get each one from it, by one name, and keep no number of their own.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class ClientLimitsTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    /// <summary>Each key of <see cref="ClientLimits"/> and the server value it must equal; a new key needs a row here.</summary>
    private static Dictionary<string, int> Expected(QuestionOptions questions) => new()
    {
        ["questionMaxLength"] = questions.MaxLength,
        ["nameMaxLength"] = questions.MaxNameLength,
        ["pollAnswerMaxLength"] = PollRules.MaxTextAnswerLength,
        ["wordCloudMaxWords"] = PollRules.MaxWords,
        ["pollQuestionMaxLength"] = PollRules.MaxQuestionLength,
        ["pollOptionMaxLength"] = PollRules.MaxOptionLength,
        ["pollMaxOptions"] = PollRules.MaxOptions,
        ["replyMaxLength"] = QuestionService.MaxReplyLength,
        ["labelMaxLength"] = QuestionService.MaxLabelLength,
        ["maxLabels"] = QuestionService.MaxLabels,
        ["announcementMaxLength"] = AnnouncementService.MaxLength,
        ["profanityMaxWords"] = ProfanityFilter.MaxWords,
        ["profanityWordMaxLength"] = ProfanityFilter.MaxWordLength,
        ["quizMinSeconds"] = PollRules.QuizMinSeconds,
        ["quizMaxSeconds"] = PollRules.QuizMaxSeconds,
        ["ratingMinScale"] = PollRules.RatingMinScale,
        ["ratingMaxScale"] = PollRules.RatingMaxScale,
        ["joinCodeLength"] = JoinCode.Length,
    };

    /// <summary>The limits of an event definition the organizer's pages carry besides; a new key needs a row here.</summary>
    private static readonly Dictionary<string, int> ExpectedOrganizer = new()
    {
        ["eventNameMaxLength"] = ScenarioRules.MaxNameLength,
        ["titleMaxLength"] = ScenarioRules.MaxTitleLength,
        ["maxSpeakers"] = ScenarioRules.MaxSpeakers,
        ["passcodeMinLength"] = ScenarioRules.MinPasscodeLength,
        ["keyMaxLength"] = ScenarioRules.MaxKeyLength,
    };

    private Dictionary<string, int> ExpectedHere() => Expected(Server.Services.GetRequiredService<IOptions<QuestionOptions>>().Value);

    private static Dictionary<string, int> Read(JsonElement limits) =>
        limits.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    [Fact]
    public async Task EveryKeyOfTheEventSnapshotsLimitsIsTheServersOwnValue()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);

        var snapshot = await phone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);

        var sent = Read(JsonSerializer.SerializeToElement(snapshot.Limits, JsonSerializerOptions.Web));
        Assert.Equal(ExpectedHere().OrderBy(p => p.Key), sent.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task EveryPagesDataBlockCarriesTheSameLimitsForItsFirstPaint()
    {
        var e = await Server.CreateEventAsync();
        using var http = new HttpClient { BaseAddress = Server.BaseUri };
        var expected = ExpectedHere().OrderBy(p => p.Key).ToList();
        var organizer = ExpectedHere().Concat(ExpectedOrganizer).OrderBy(p => p.Key).ToList();

        foreach (var path in new[] { "/", "/admin", $"/e/{e.Code}", $"/e/{e.Code}/projector", $"/e/{e.Code}/moderator", $"/e/{e.Code}/report" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            var block = PageData().Match(html);
            Assert.True(block.Success, $"{path} has a page data block");
            using var data = JsonDocument.Parse(block.Groups["json"].Value);
            var organizerPage = path == "/admin" || path.EndsWith("/report", StringComparison.Ordinal);
            Assert.Equal(organizerPage ? organizer : expected, Read(data.RootElement.GetProperty("limits")).OrderBy(p => p.Key).ToList());
        }
    }

    [Fact]
    public async Task TheCodeInputsAndTheirHintsStateTheServersCodeLength()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseUri };
        foreach (var (path, input, hint) in new[]
        {
            ("/", "code", $"Kode terdiri dari {JoinCode.Length} huruf dan angka"),
            ("/admin", "create-code", $"{JoinCode.Length} huruf atau angka, tanpa O, 0, I, 1 dan L."),
        })
        {
            var html = await http.GetStringAsync(path);
            var tag = Regex.Match(html, $@"<input id=""{input}""[^>]*>");
            Assert.True(tag.Success, $"{path} has the input #{input}");
            Assert.Contains($"maxlength=\"{JoinCode.Length}\"", tag.Value);
            Assert.Contains(hint, html);
        }
    }

    /// <summary>The pages' markup (the templates the server renders, and the static pages) passes the same check.</summary>
    [Fact]
    public void NoPageMarkupSetsALengthOfItsOwn()
    {
        AssertNone("page markup", new[] { "src/Web/Pages/Templates", "src/Web/wwwroot" }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(Repo.Root, dir), "*.html")), Offences);
    }

    /// <summary>
    /// Numbers a string may state that are no limit: 0 and 1 (a range's start, one minute, the letters a code leaves out) and
    /// the few listed here. Any other number is a limit written into the words; it names the server's value instead
    /// ("{quizMinSeconds}"), which the page renderer and t() fill.
    /// </summary>
    private static readonly HashSet<(string Key, string Number)> NumbersThatAreNoLimit =
    [
        ("error.invalid.options", "2"), // a choice needs two options: what a poll is, not a setting
    ];

    [Fact]
    public void NoStringStatesALimitAsANumber()
    {
        AssertNone("strings", Directory.EnumerateFiles(Path.Combine(Repo.Root, "src/Web/Strings"), "*.json"), json =>
            JsonDocument.Parse(json).RootElement.EnumerateObject().SelectMany(p => StringOffences(p.Name, p.Value.GetString() ?? "")));
    }

    [Theory]
    [InlineData("error.invalid.passcode", "A moderator passcode has at least 8 characters.", true)]
    [InlineData("error.invalid.words", "paling banyak 2.000 kata", true)]
    [InlineData("error.invalid.options", "Please give 2 to 10 options.", true)]
    [InlineData("error.invalid.options", "Please give 2 to {pollMaxOptions} options.", false)]
    [InlineData("mod.reactions.label", "Reaksi 1 menit terakhir:", false)]
    [InlineData("poll.wordcloud_hint", "Type 1 to {max} words.", false)]
    public void TheStringCheckCatchesAWrittenInLimitAndLetsTheListedNumbersThrough(string key, string text, bool offends) =>
        Assert.Equal(offends, StringOffences(key, text).Any());

    private static IEnumerable<string> StringOffences(string key, string text) =>
        StringNumber().Matches(text).Select(m => m.Value)
            .Where(n => n is not ("0" or "1") && !NumbersThatAreNoLimit.Contains((key, n)))
            .Select(n => $"{key}: \"{text}\" states {n}");

    [Fact]
    public void TheLimitsModuleKeepsNoNumberOfItsOwn()
    {
        var source = File.ReadAllText(Path.Combine(Repo.Root, "src/Web/wwwroot/js/lib/limits.js"));
        Assert.Matches(@"export const limits = /\*\* @type \{Limits\} \*/ \(\{\}\);", source);
        // Every key the server sends is declared for the pages' type checks: Limits is the protocol's ClientLimits, which
        // ProtocolDeclarationTests holds to the C# record key by key.
        Assert.Contains("@typedef {import('../../../types/protocol').ClientLimits} Limits", source);
        var declaration = File.ReadAllText(Path.Combine(Repo.Root, "src/Web/types/protocol.d.ts"));
        foreach (var key in Expected(new QuestionOptions()).Keys)
        {
            Assert.Contains($"  {key}: number;", declaration);
        }
    }

    /// <summary>
    /// No page script (the moderator's page aside, which follows in its own change) compares a text's length or a count with
    /// a number of its own, or sets a maxlength: a limit comes from <c>limits</c>.
    /// </summary>
    [Fact]
    public void NoPageScriptComparesALengthOrCountWithANumberOfItsOwn()
    {
        var root = Path.Combine(Repo.Root, "src/Web/wwwroot/js");
        AssertNone("page scripts", Directory.EnumerateFiles(root, "*.js", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "moderator.js" || Path.GetDirectoryName(f) != root), Offences);
    }

    /// <summary>Fails naming every offence the check finds in the files, each with its path in the repository.</summary>
    private static void AssertNone(string where, IEnumerable<string> files, Func<string, IEnumerable<string>> check)
    {
        var offences = files.SelectMany(f => check(File.ReadAllText(f)).Select(o => $"{Path.GetRelativePath(Repo.Root, f)}: {o}")).ToList();
        Assert.True(offences.Count == 0, $"Limits written into {where}:\n" + string.Join('\n', offences));
    }

    [Theory]
    [InlineData("if (text.length > 500) {", true)]
    [InlineData("counter.classList.toggle('over', textLength(text) >= 280);", true)]
    [InlineData("if (300 < question.length) {", true)]
    [InlineData("ok = f.options.length <= 10;", true)]
    [InlineData("if (tooLong(name, 60)) {", true)]
    [InlineData("const kept = clip(reply, 1000);", true)]
    [InlineData("attrs: { maxlength: 120 }", true)]
    [InlineData("input.maxLength = 30;", true)]
    [InlineData("<input maxlength=\"8\">", true)]
    [InlineData("<input id=\"create-code\" minlength=\"8\">", true)]
    [InlineData("<input pattern=\"[A-Z0-9]{6}\" size=\"6\">", true)]
    [InlineData("<input id=\"code\" maxlength=\"{limits.joinCodeLength}\">", false)]
    [InlineData("if (tooLong(text, limits.questionMaxLength)) {", false)]
    [InlineData("ui.empty.hidden = items.length > 0;", false)]
    [InlineData("if (words.length > limits.wordCloudMaxWords) {", false)]
    [InlineData("attrs: { maxlength: limits.labelMaxLength }", false)]
    public void TheCheckCatchesAWrittenInLimitAndLetsTheServersThrough(string line, bool offends) =>
        Assert.Equal(offends, Offences(line).Any());

    // A number from 3 up: 0 and 1 are emptiness and plurals, not limits.
    private const string Number = @"(?:[3-9]|[1-9]\d+)\b";

    private static IEnumerable<string> Offences(string source) =>
        LengthThenNumber().Matches(source).Concat(NumberThenLength().Matches(source)).Concat(LimitCall().Matches(source))
            .Concat(MaxLength().Matches(source)).Concat(MarkupLength().Matches(source))
            .Select(m => m.Value.Trim());

    [GeneratedRegex(@"(?:\.length|textLength\([^()]*\))\s*(?:<=|>=|<|>|===|!==)\s*" + Number)]
    private static partial Regex LengthThenNumber();

    [GeneratedRegex(@"\b" + Number + @"\s*(?:<=|>=|<|>)\s*[\w.]+\.length\b")]
    private static partial Regex NumberThenLength();

    [GeneratedRegex(@"\b(?:tooLong|clip)\([^,()]+,\s*\d+\s*\)")]
    private static partial Regex LimitCall();

    [GeneratedRegex(@"maxlength['""]?\s*[:=]\s*['""]?\d", RegexOptions.IgnoreCase)]
    private static partial Regex MaxLength();

    // minlength, size and a pattern's repeat count write a length as surely as maxlength does.
    [GeneratedRegex(@"\b(?:minlength|size)\s*=\s*['""]?\d|\bpattern\s*=\s*""[^""]*\{\d", RegexOptions.IgnoreCase)]
    private static partial Regex MarkupLength();

    // A number as a string writes it: 2,000 and 2.000 are one number.
    [GeneratedRegex(@"\d+(?:[.,]\d{3})*")]
    private static partial Regex StringNumber();

    [GeneratedRegex(@"<script type=""application/json"" id=""lh-page"">(?<json>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex PageData();
}
