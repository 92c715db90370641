using LiveHub.Data.Polls;
using LiveHub.Polls;
using LiveHub.Realtime;

namespace LiveHub.Tests.Polls;

public sealed class PollRulesTests
{
    private static PollRow Poll(string kind, string[]? options = null, int? maxPicks = null, int? scale = null, int[]? correct = null) => new()
    {
        Id = 1,
        SessionId = 1,
        Kind = kind,
        Question = "?",
        Options = System.Text.Json.JsonSerializer.Serialize(options ?? []),
        MaxPicks = maxPicks,
        Scale = scale,
        Correct = correct is null ? null : System.Text.Json.JsonSerializer.Serialize(correct),
        TimeLimitSeconds = kind == PollKinds.Quiz ? 20 : null,
        Status = PollStatus.Open,
    };

    private static CastVoteRequest Vote(int[]? choices = null, int? rating = null, int[]? ranking = null, string? text = null) =>
        new(1, "c1", choices, rating, ranking, text, null);

    [Theory]
    [InlineData("Kota Pintar!", "kota pintar")]
    [InlineData("  kota   PINTAR ", "kota pintar")]
    [InlineData("kota, pintar.", "kota pintar")]
    [InlineData("\"Smart-City\"", "smart-city")]
    [InlineData("Ekonomi—digital", "ekonomi digital")]
    [InlineData("…", "")]
    public void WordsAreNormalisedForCaseSpacingAndPunctuation(string typed, string expected) =>
        Assert.Equal(expected, string.Join(' ', PollRules.NormalizeWords(typed)));

    [Fact]
    public void WordCloudTakesOneToThreeWords()
    {
        var poll = Poll(PollKinds.WordCloud);
        Assert.Null(PollRules.CheckVote(poll, Vote(text: "Transparan, cepat, murah!"), out var vote));
        Assert.Equal(["transparan cepat murah"], vote.Words);
        Assert.Equal("too_many_words", PollRules.CheckVote(poll, Vote(text: "satu dua tiga empat"), out _)!.Code);
        Assert.Equal(ErrorCodes.TextEmpty, PollRules.CheckVote(poll, Vote(text: "?!"), out _)!.Code);
    }

    [Fact]
    public void SingleChoiceCountsExactlyOnePick()
    {
        var poll = Poll(PollKinds.Single, ["A", "B", "C"]);
        Assert.Null(PollRules.CheckVote(poll, Vote([2]), out var vote));
        Assert.Equal([(2, 1)], vote.Choices);
        Assert.NotNull(PollRules.CheckVote(poll, Vote([0, 1]), out _));
        Assert.NotNull(PollRules.CheckVote(poll, Vote([3]), out _));
        Assert.NotNull(PollRules.CheckVote(poll, Vote([]), out _));
    }

    [Fact]
    public void MultipleChoiceRespectsTheMaximumOfPicks()
    {
        var poll = Poll(PollKinds.Multiple, ["A", "B", "C", "D"], maxPicks: 2);
        Assert.Null(PollRules.CheckVote(poll, Vote([0, 3]), out var vote));
        Assert.Equal(2, vote.Choices.Count);
        Assert.NotNull(PollRules.CheckVote(poll, Vote([0, 1, 2]), out _));
        Assert.NotNull(PollRules.CheckVote(poll, Vote([1, 1]), out _));
    }

    [Fact]
    public void RatingStaysOnItsScale()
    {
        var poll = Poll(PollKinds.Rating, scale: 5);
        Assert.Null(PollRules.CheckVote(poll, Vote(rating: 5), out var vote));
        Assert.Equal([(5, 1)], vote.Choices);
        Assert.NotNull(PollRules.CheckVote(poll, Vote(rating: 6), out _));
        Assert.NotNull(PollRules.CheckVote(poll, Vote(rating: 0), out _));
    }

    [Fact]
    public void BordaGivesTheFirstOfNOptionsNMinusOnePoints()
    {
        Assert.Equal([(2, 3), (0, 2), (3, 1), (1, 0)], PollRules.BordaPoints([2, 0, 3, 1]));
        var poll = Poll(PollKinds.Ranking, ["A", "B", "C"]);
        Assert.NotNull(PollRules.CheckVote(poll, Vote(ranking: [0, 1]), out _));
        Assert.NotNull(PollRules.CheckVote(poll, Vote(ranking: [0, 0, 1]), out _));
    }

    [Fact]
    public void BordaResultsOrderOptionsByPoints()
    {
        // Three voters rank A, B, C: (A,B,C), (B,A,C), (B,C,A) -> A: 2+1+0 = 3, B: 1+2+2 = 5, C: 0+0+1 = 1.
        var tally = new PollTallyRows(Poll(PollKinds.Ranking, ["A", "B", "C"]), 1, 3,
            [new OptionCount(0, 3, 3), new OptionCount(1, 3, 5), new OptionCount(2, 3, 1)], [], []);
        var results = PollResultsBuilder.Build(tally, [], forModerators: false, present: null);
        Assert.Equal(["B", "A", "C"], results.Options.OrderByDescending(o => o.Points).Select(o => o.Label));
    }

    [Fact]
    public void RatingResultsCarryTheAverageAndTheWholeDistribution()
    {
        var tally = new PollTallyRows(Poll(PollKinds.Rating, scale: 5), 1, 4,
            [new OptionCount(2, 1, 1), new OptionCount(4, 2, 2), new OptionCount(5, 1, 1)], [], []);
        var results = PollResultsBuilder.Build(tally, [], forModerators: false, present: null);
        Assert.Equal(3.75, results.Average);
        Assert.Equal([0L, 1, 0, 2, 1], results.Options.Select(o => o.Votes));
        Assert.Equal(["1", "2", "3", "4", "5"], results.Options.Select(o => o.Label));
    }

    [Fact]
    public void SingleChoicePercentagesAreOfVoters()
    {
        var tally = new PollTallyRows(Poll(PollKinds.Single, ["Ya", "Tidak", "Ragu"]), 1, 4,
            [new OptionCount(0, 3, 3), new OptionCount(1, 1, 1)], [], []);
        var results = PollResultsBuilder.Build(tally, [], forModerators: false, present: null);
        Assert.Equal([75.0, 25.0, 0.0], results.Options.Select(o => o.Percent));
    }

    [Fact]
    public void OpenTextShowsOnlyApprovedAnswersToThePublic()
    {
        var tally = new PollTallyRows(Poll(PollKinds.Text), 1, 2, [], [],
            [new TextAnswer(1, "tunggu", null, VoteStatus.Pending, 1), new TextAnswer(2, "boleh", "Ani", VoteStatus.Approved, 2)]);
        Assert.Equal(["boleh"], PollResultsBuilder.Build(tally, [], false, null).Answers.Select(a => a.Text));
        Assert.Equal(2, PollResultsBuilder.Build(tally, [], true, null).Answers.Count);
    }

    [Theory]
    [InlineData(true, 0, 20, 1000)]
    [InlineData(true, 10_000, 20, 750)]
    [InlineData(true, 20_000, 20, 500)]
    [InlineData(true, 25_000, 20, 500)]
    [InlineData(false, 1_000, 20, 0)]
    public void QuizScoresRewardCorrectnessThenSpeed(bool correct, long elapsedMs, int limit, int expected) =>
        Assert.Equal(expected, PollRules.QuizScore(correct, elapsedMs, limit));

    [Fact]
    public void QuizCorrectnessNeedsExactlyTheCorrectSet()
    {
        var poll = Poll(PollKinds.Quiz, ["A", "B", "C"], maxPicks: 3, correct: [0, 2]);
        Assert.Null(PollRules.CheckVote(poll, Vote([2, 0]), out var right));
        Assert.True(right.Correct);
        Assert.Null(PollRules.CheckVote(poll, Vote([0]), out var partial));
        Assert.False(partial.Correct);
    }

    [Fact]
    public void LeaderboardTiesShareARankAndTheNextRankSkips()
    {
        var board = PollRules.Leaderboard(
        [
            new ScoreRow("p1", "Ani", 900, 1, 4000),
            new ScoreRow("p2", "Budi", 1500, 2, 9000),
            new ScoreRow("p3", null, 900, 1, 4000),
            new ScoreRow("p4", "Citra", 900, 1, 5000),
        ]);
        Assert.Equal([1, 2, 2, 4], board.Select(e => e.Rank));
        Assert.Equal("Budi", board[0].Name);
        Assert.Equal("Citra", board[3].Name);
        Assert.Contains(board, e => e.Name == PollRules.Pseudonym("p3"));
        Assert.DoesNotContain(board, e => e.Name == "p3");
    }

    [Fact]
    public void PseudonymsAreStableAndDoNotRevealTheParticipant()
    {
        Assert.Equal(PollRules.Pseudonym("abc"), PollRules.Pseudonym("abc"));
        Assert.DoesNotContain("abc", PollRules.Pseudonym("abc"));
    }

    [Theory]
    [InlineData(PollKinds.Single, new[] { "A" }, null, null)]
    [InlineData(PollKinds.Single, new[] { "A", "a" }, null, null)]
    [InlineData(PollKinds.Multiple, new[] { "A", "B" }, 3, null)]
    [InlineData(PollKinds.Rating, null, null, 7)]
    [InlineData("vote-stuffing", new[] { "A", "B" }, null, null)]
    public void BadDefinitionsAreRefused(string kind, string[]? options, int? maxPicks, int? scale) =>
        Assert.NotNull(PollRules.CheckDefinition(new PollDraftRequest(1, kind, "Pertanyaan?", options, maxPicks, scale, null, null, null), out _));

    [Fact]
    public void QuizNeedsACorrectOptionAndASaneTimer()
    {
        Assert.NotNull(PollRules.CheckDefinition(new PollDraftRequest(1, PollKinds.Quiz, "?", ["A", "B"], null, null, null, 20, null), out _));
        Assert.NotNull(PollRules.CheckDefinition(new PollDraftRequest(1, PollKinds.Quiz, "?", ["A", "B"], null, null, [1], 2, null), out _));
        Assert.Null(PollRules.CheckDefinition(new PollDraftRequest(1, PollKinds.Quiz, "?", ["A", "B"], null, null, [1], 20, PollVisibility.OnClose), out var d));
        Assert.Equal("[1]", d.CorrectJson);
    }

    [Theory]
    [InlineData(PollKinds.Single, PollVisibility.Live, PollStatus.Open, false, true)]
    [InlineData(PollKinds.Single, PollVisibility.OnClose, PollStatus.Open, false, false)]
    [InlineData(PollKinds.Single, PollVisibility.OnClose, PollStatus.Closed, false, true)]
    [InlineData(PollKinds.Single, PollVisibility.Hidden, PollStatus.Closed, false, false)]
    [InlineData(PollKinds.Single, PollVisibility.Hidden, PollStatus.Open, true, true)]
    [InlineData(PollKinds.Single, PollVisibility.Live, PollStatus.Draft, true, false)]
    [InlineData(PollKinds.Quiz, PollVisibility.Live, PollStatus.Open, true, false)]
    [InlineData(PollKinds.Quiz, PollVisibility.Hidden, PollStatus.Open, true, false)]
    [InlineData(PollKinds.Quiz, PollVisibility.Live, PollStatus.Closed, false, true)]
    [InlineData(PollKinds.Quiz, PollVisibility.Hidden, PollStatus.Closed, false, false)]
    [InlineData(PollKinds.Quiz, PollVisibility.Hidden, PollStatus.Closed, true, true)]
    public void ResultsReachThePublicOnlyWhenTheVisibilityAllows(string kind, string visibility, string status, bool revealed, bool expected) =>
        Assert.Equal(expected, PollRules.ResultsPublic(Row(kind, visibility, status, revealed)));

    public static TheoryData<string, string, string, bool> EveryPollState()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var kind in PollKinds.All)
        {
            foreach (var visibility in new[] { PollVisibility.Live, PollVisibility.OnClose, PollVisibility.Hidden })
            {
                foreach (var status in new[] { PollStatus.Draft, PollStatus.Open, PollStatus.Closed })
                {
                    data.Add(kind, visibility, status, false);
                    data.Add(kind, visibility, status, true);
                }
            }
        }
        return data;
    }

    /// <summary>
    /// Every kind, visibility, status and reveal, by status: a draft shows nothing; a running quiz nothing, even revealed;
    /// another running poll when live or revealed; a closed poll unless hidden and not revealed. Every view carries the same answer.
    /// </summary>
    [Theory]
    [MemberData(nameof(EveryPollState))]
    public void EveryViewOfEveryPollFollowsTheOneResultsRule(string kind, string visibility, string status, bool revealed)
    {
        var expected = status switch
        {
            PollStatus.Draft => false,
            PollStatus.Open when kind == PollKinds.Quiz => false,
            PollStatus.Open => revealed || visibility == PollVisibility.Live,
            _ => revealed || visibility != PollVisibility.Hidden,
        };
        var row = Row(kind, visibility, status, revealed);

        Assert.Equal(expected, PollRules.ResultsPublic(row));
        var audience = PollService.View(row, moderator: false);
        var moderator = PollService.View(row, moderator: true);
        Assert.Equal(expected, audience.ResultsVisible);
        Assert.Equal(expected, audience.AudienceSeesResults);
        Assert.True(moderator.ResultsVisible, "moderators always see results");
        Assert.Equal(expected, moderator.AudienceSeesResults);
    }

    private static PollRow Row(string kind, string visibility, string status, bool revealed) => new()
    {
        Kind = kind,
        Visibility = visibility,
        Status = status,
        Revealed = revealed ? 1 : 0,
        Options = PollKinds.HasOptions(kind) ? "[\"A\",\"B\"]" : "[]",
        Correct = kind == PollKinds.Quiz ? "[0]" : null,
        TimeLimitSeconds = kind == PollKinds.Quiz ? 30 : null,
        OpenedAt = status == PollStatus.Draft ? null : 1_000,
    };
}
