using System.Globalization;
using System.Text;
using System.Text.Json;
using LiveHub.Data.Polls;
using LiveHub.Limits;
using LiveHub.Realtime;

namespace LiveHub.Polls;

/// <summary>The poll rules, free of I/O so each can be tested alone: definitions, votes, word normalisation, scoring, Borda, ranking.</summary>
public static class PollRules
{
    public const int MaxQuestionLength = 300;
    public const int MaxOptions = 10;
    public const int MaxOptionLength = 120;
    public const int MaxWords = 3;
    public const int MaxWordLength = 30;
    public const int MaxTextAnswerLength = 280;
    public const int MaxDisplayNameLength = 60;
    public const int QuizMinSeconds = 5;
    public const int QuizMaxSeconds = 600;
    public const int QuizDefaultSeconds = 30;
    /// <summary>A rating is out of <see cref="RatingMinScale"/> or out of <see cref="RatingMaxScale"/>, nothing between.</summary>
    public const int RatingMinScale = 5;
    public const int RatingMaxScale = 10;
    public const int QuizBasePoints = 500;
    public const int QuizSpeedPoints = 500;

    /// <summary>Checks a moderator's poll and turns it into what the store keeps.</summary>
    public static HubError? CheckDefinition(PollDraftRequest? r, out PollDefinition definition)
    {
        definition = null!;
        if (r is null || r.Kind is null || !PollKinds.All.Contains(r.Kind))
        {
            return HubError.Invalid("kind", $"The kind must be one of: {string.Join(", ", PollKinds.All)}.");
        }
        var question = r.Question?.Trim() ?? "";
        if (question.Length == 0)
        {
            return ErrorCodes.TextEmptyError();
        }
        if (TextLength.Exceeds(question, MaxQuestionLength))
        {
            return new HubError(ErrorCodes.TextTooLong, "error.text_too_long", $"The poll question is longer than {MaxQuestionLength} characters.");
        }
        if (InputText.Check(question, multiline: true) is { } questionError)
        {
            return questionError;
        }
        var visibility = r.Visibility ?? PollVisibility.Live;
        if (!PollVisibility.IsKnown(visibility))
        {
            return HubError.Invalid("visibility", "The visibility must be 'live', 'on_close' or 'hidden'.");
        }

        var options = (r.Options ?? []).Select(o => o?.Trim() ?? "").ToList();
        int? maxPicks = null, scale = null, timeLimit = null;
        string? correctJson = null;
        if (PollKinds.HasOptions(r.Kind))
        {
            if (options.Count is < 2 or > MaxOptions || options.Any(o => o.Length == 0 || TextLength.Exceeds(o, MaxOptionLength)))
            {
                return HubError.Invalid("options", $"Give 2 to {MaxOptions} options of 1 to {MaxOptionLength} characters.");
            }
            if (options.Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Count)
            {
                return HubError.Invalid("options", "Two options have the same text.");
            }
            if (InputText.CheckLines(options) is { } optionError)
            {
                return optionError;
            }
        }
        else
        {
            options = [];
        }

        switch (r.Kind)
        {
            case PollKinds.Multiple:
                maxPicks = r.MaxPicks ?? options.Count;
                if (maxPicks < 1 || maxPicks > options.Count)
                {
                    return HubError.Invalid("max_picks", "The maximum of picks must be between 1 and the number of options.");
                }
                break;
            case PollKinds.Rating:
                scale = r.Scale ?? RatingMinScale;
                if (scale is not (RatingMinScale or RatingMaxScale))
                {
                    return HubError.Invalid("scale", $"A rating scale is 1-{RatingMinScale} or 1-{RatingMaxScale}.");
                }
                break;
            case PollKinds.Quiz:
                var correct = (r.Correct ?? []).Distinct().Order().ToList();
                if (correct.Count == 0 || correct.Any(c => c < 0 || c >= options.Count))
                {
                    return HubError.Invalid("correct", "A quiz needs at least one correct option.");
                }
                timeLimit = r.TimeLimitSeconds ?? QuizDefaultSeconds;
                if (timeLimit is < QuizMinSeconds or > QuizMaxSeconds)
                {
                    return HubError.Invalid("time_limit", $"A quiz's answer timer is {QuizMinSeconds} to {QuizMaxSeconds} seconds.");
                }
                maxPicks = correct.Count == 1 ? 1 : options.Count;
                correctJson = JsonSerializer.Serialize(correct);
                break;
        }
        definition = new PollDefinition(r.Kind, question, JsonSerializer.Serialize(options), maxPicks, scale, correctJson, timeLimit, visibility);
        return null;
    }

    public static IReadOnlyList<string> Options(PollRow poll) => JsonSerializer.Deserialize<List<string>>(poll.Options) ?? [];

    public static IReadOnlyList<int>? Correct(PollRow poll) => poll.Correct is null ? null : JsonSerializer.Deserialize<List<int>>(poll.Correct);

    /// <summary>A vote checked against its poll and expanded into the rows that count it.</summary>
    public sealed record ExpandedVote(IReadOnlyList<(int Option, int Points)> Choices, IReadOnlyList<string> Words, string? Text, string Status, bool? Correct);

    public static HubError? CheckVote(PollRow poll, CastVoteRequest r, out ExpandedVote vote)
    {
        vote = null!;
        var options = Options(poll);
        var bad = new HubError(ErrorCodes.Invalid, "error.invalid.choices", "The answer does not fit this poll.");
        switch (poll.Kind)
        {
            case PollKinds.Single:
            case PollKinds.Multiple:
            case PollKinds.Quiz:
            {
                var picks = (r.Choices ?? []).ToList();
                var max = poll.MaxPicks ?? 1;
                if (picks.Count < 1 || picks.Count > max || picks.Distinct().Count() != picks.Count || picks.Any(p => p < 0 || p >= options.Count))
                {
                    return bad;
                }
                bool? correct = poll.Kind == PollKinds.Quiz ? picks.Order().SequenceEqual(Correct(poll) ?? []) : null;
                vote = new ExpandedVote(picks.Select(p => (p, 1)).ToList(), [], null, VoteStatus.Counted, correct);
                return null;
            }
            case PollKinds.Rating:
                if (r.Rating is not { } rating || rating < 1 || rating > (poll.Scale ?? 5))
                {
                    return bad;
                }
                vote = new ExpandedVote([(rating, 1)], [], null, VoteStatus.Counted, null);
                return null;
            case PollKinds.Ranking:
            {
                var order = (r.Ranking ?? []).ToList();
                if (order.Count != options.Count || order.Distinct().Count() != order.Count || order.Any(p => p < 0 || p >= options.Count))
                {
                    return bad;
                }
                vote = new ExpandedVote(BordaPoints(order), [], null, VoteStatus.Counted, null);
                return null;
            }
            case PollKinds.WordCloud:
            {
                // The words are counted from letters and digits only, but the answer is kept as typed.
                if (InputText.Check(r.Text, multiline: false) is { } wordsError)
                {
                    return wordsError;
                }
                var words = NormalizeWords(r.Text);
                if (words.Count == 0)
                {
                    return ErrorCodes.TextEmptyError();
                }
                if (words.Count > MaxWords || words.Any(w => TextLength.Exceeds(w, MaxWordLength)))
                {
                    return new HubError("too_many_words", "error.too_many_words", $"Give one to {MaxWords} words.");
                }
                vote = new ExpandedVote([], [string.Join(' ', words)], r.Text!.Trim(), VoteStatus.Counted, null);
                return null;
            }
            case PollKinds.Text:
            {
                var text = r.Text?.Trim() ?? "";
                if (text.Length == 0)
                {
                    return ErrorCodes.TextEmptyError();
                }
                if (TextLength.Exceeds(text, MaxTextAnswerLength))
                {
                    return new HubError(ErrorCodes.TextTooLong, "error.text_too_long", $"The answer is longer than {MaxTextAnswerLength} characters.");
                }
                if (InputText.Check(text, multiline: true) is { } textError)
                {
                    return textError;
                }
                // Open answers are moderated like questions: they reach the screen once approved.
                vote = new ExpandedVote([], [], text, VoteStatus.Pending, null);
                return null;
            }
            default:
                return bad;
        }
    }

    /// <summary>Borda count: with n options, the first gets n-1 points, the last 0.</summary>
    public static IReadOnlyList<(int Option, int Points)> BordaPoints(IReadOnlyList<int> order) =>
        order.Select((option, position) => (option, order.Count - 1 - position)).ToList();

    /// <summary>
    /// Word-cloud normalisation: lower case, punctuation and symbols dropped (inner hyphens and apostrophes kept),
    /// runs of spacing folded, so "Kota Pintar!", "kota  pintar" and " KOTA pintar." count as one.
    /// </summary>
    public static IReadOnlyList<string> NormalizeWords(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        var cleaned = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormC).ToLower(CultureInfo.InvariantCulture))
        {
            cleaned.Append(char.IsLetterOrDigit(c) || c is '-' or '\'' ? c : ' ');
        }
        return cleaned.ToString()
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('-', '\''))
            .Where(w => w.Length > 0)
            .ToList();
    }

    /// <summary>Quiz points: nothing for a wrong answer; a right one earns a base plus a bonus that shrinks to zero at the deadline.</summary>
    public static int QuizScore(bool correct, long elapsedMs, int timeLimitSeconds)
    {
        if (!correct)
        {
            return 0;
        }
        var limitMs = Math.Max(1, timeLimitSeconds * 1000L);
        var left = Math.Clamp(1.0 - (double)Math.Max(0, elapsedMs) / limitMs, 0, 1);
        return QuizBasePoints + (int)Math.Round(QuizSpeedPoints * left, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// Orders quiz totals: score first, then the faster total answer time. Equal score and time share a rank (1, 1, 3).
    /// </summary>
    public static IReadOnlyList<LeaderboardEntry> Leaderboard(IEnumerable<ScoreRow> scores, int top = 10)
    {
        var ordered = scores
            .OrderByDescending(s => s.Score).ThenBy(s => s.ElapsedMs).ThenBy(s => NameOf(s), StringComparer.Ordinal)
            .ToList();
        var entries = new List<LeaderboardEntry>();
        for (var i = 0; i < ordered.Count && entries.Count < top; i++)
        {
            var rank = i > 0 && ordered[i].Score == ordered[i - 1].Score && ordered[i].ElapsedMs == ordered[i - 1].ElapsedMs
                ? entries[^1].Rank
                : i + 1;
            entries.Add(new LeaderboardEntry(rank, NameOf(ordered[i]), ordered[i].Score, ordered[i].Correct));
        }
        return entries;
    }

    private static readonly string[] Animals = ["Komodo", "Elang", "Penyu", "Kakatua", "Rusa", "Lumba-lumba", "Cendrawasih", "Harimau", "Badak", "Merak", "Kancil", "Anoa"];
    private static readonly string[] Colours = ["Biru", "Merah", "Hijau", "Emas", "Perak", "Jingga", "Ungu", "Putih", "Cerdas", "Berani", "Gesit", "Ceria"];

    /// <summary>The display name, or a stable pseudonym made from the participant id (never the id itself).</summary>
    public static string NameOf(ScoreRow s) => string.IsNullOrWhiteSpace(s.DisplayName) ? Pseudonym(s.ParticipantId) : s.DisplayName!;

    public static string Pseudonym(string participantId)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(participantId));
        return $"{Animals[hash[0] % Animals.Length]} {Colours[hash[1] % Colours.Length]} {hash[2]:X2}";
    }

    /// <summary>
    /// Whether the audience and projector may see results now: the one rule every view, frame and page follows.
    /// Never for a draft, nor for a running quiz, whatever its visibility or reveal (its spread of answers would give the answer
    /// away). Otherwise when revealed, when live, or once closed unless hidden.
    /// </summary>
    public static bool ResultsPublic(PollRow poll) =>
        poll.Status != PollStatus.Draft &&
        !(poll.Kind == PollKinds.Quiz && poll.Status == PollStatus.Open) &&
        (poll.Revealed != 0 ||
         poll.Visibility == PollVisibility.Live ||
         (poll.Visibility != PollVisibility.Hidden && poll.Status == PollStatus.Closed));
}
