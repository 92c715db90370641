using LiveHub.Data.Polls;

namespace LiveHub.Polls;

/// <summary>Turns the database's aggregates into a results frame, for moderators or for the public.</summary>
public static class PollResultsBuilder
{
    public static PollResults Build(PollTallyRows t, IReadOnlyList<LeaderboardEntry> leaderboard, bool forModerators, long? present)
    {
        var poll = t.Poll;
        var counts = t.Options.ToDictionary(o => (int)o.OptionIndex);
        var labels = poll.Kind == PollKinds.Rating
            ? Enumerable.Range(1, (int)(poll.Scale ?? 5)).Select(v => (Index: v, Label: v.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList()
            : PollRules.Options(poll).Select((label, i) => (Index: i, Label: label)).ToList();
        var options = labels.Select(l =>
        {
            var c = counts.GetValueOrDefault(l.Index);
            var votes = c?.Votes ?? 0;
            return new OptionResult(l.Index, l.Label, votes, t.Voters == 0 ? 0 : Math.Round(100.0 * votes / t.Voters, 1), c?.Points ?? 0);
        }).ToList();

        double? average = poll.Kind == PollKinds.Rating && t.Voters > 0
            ? Math.Round(t.Options.Sum(o => o.OptionIndex * o.Votes) / (double)t.Voters, 2)
            : null;
        var answers = t.Texts
            .Where(a => forModerators || a.Status == VoteStatus.Approved)
            .Where(_ => poll.Kind == PollKinds.Text)
            .Select(a => new AnswerResult(a.Id, a.Text, a.DisplayName, a.Status, a.CreatedAt))
            .ToList();
        var isQuiz = poll.Kind == PollKinds.Quiz;
        var showAnswers = isQuiz && (forModerators || poll.Status == PollStatus.Closed);
        return new PollResults(
            poll.Id, poll.SessionId, t.ResultsVersion, t.Voters,
            poll.Kind is PollKinds.WordCloud or PollKinds.Text ? [] : options,
            average,
            t.Words.Select(w => new WordResult(w.Word, w.Votes)).ToList(),
            answers,
            showAnswers ? PollRules.Correct(poll) : null,
            showAnswers ? leaderboard : [],
            forModerators ? present : null);
    }
}
