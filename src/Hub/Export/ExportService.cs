using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiveHub.Admin;
using LiveHub.Data.Events;
using LiveHub.Data.Export;
using LiveHub.Data.Moderation;
using LiveHub.Data.Polls;
using LiveHub.Polls;
using LiveHub.Reactions;

namespace LiveHub.Export;

/// <summary>
/// Questions and poll results of an event or one session, for CSV and JSON files, during and after the event.
/// Poll numbers come from the tally the screens use, so a file and a screen never disagree.
/// </summary>
public sealed class ExportService(EventStore events, ExportStore store, PollStore polls, ReactionStore reactions, TimeProvider clock)
{
    public async Task<QuestionExport> QuestionsAsync(EventRow e, SessionRow? only, CancellationToken ct)
    {
        var zone = Zone(e);
        var sessions = (await events.ListSessionsAsync(e.Id, ct)).ToDictionary(s => s.Id);
        var rooms = (await events.ListRoomsAsync(e.Id, ct)).ToDictionary(r => r.Id, r => r.Name);
        var rows = only is null ? await store.ListEventQuestionsAsync(e.Id, ct) : await store.ListSessionQuestionsAsync(only.Id, ct);
        var pseudonyms = new Pseudonyms(await store.EnsureExportKeyAsync(e.Id, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ct));
        var items = rows.Select(q =>
        {
            var s = sessions[q.SessionId];
            return new QuestionExportItem(
                s.Id, s.SessionKey, s.Title, rooms.GetValueOrDefault(s.RoomId, ""), q.Id, q.Text, q.AuthorName, q.Status, q.Upvotes,
                Utc(q.CreatedAt), Local(q.CreatedAt, zone), Utc(q.AnsweredAt), Local(q.AnsweredAt, zone),
                q.Reply, Utc(q.RepliedAt), Labels(q.Labels), q.MergedIntoId, q.Flagged != 0,
                // An anonymous question gets no pseudonym: it would tie the question to the same person's named ones.
                string.IsNullOrEmpty(q.AuthorName) ? null : pseudonyms.Of(q.ParticipantId));
        }).ToList();
        return new QuestionExport(Scope(e, only), items);
    }

    public async Task<PollExport> PollsAsync(EventRow e, SessionRow? only, CancellationToken ct)
    {
        var zone = Zone(e);
        var sessions = only is null ? await events.ListSessionsAsync(e.Id, ct) : [only];
        var items = new List<PollExportItem>();
        foreach (var s in sessions)
        {
            foreach (var poll in await polls.ListAsync(s.Id, ct))
            {
                var tally = await polls.TallyAsync(poll.Id, advance: false, ct);
                if (tally is null)
                {
                    continue; // deleted meanwhile
                }
                var frame = PollResultsBuilder.Build(tally, [], forModerators: true, present: null);
                var p = tally.Poll;
                var answers = p.Kind == PollKinds.Text
                    ? (await store.ListApprovedAnswersAsync(p.Id, ct)).Select(a => new PollAnswerExport(a.Id, a.Text, a.DisplayName, Utc(a.CreatedAt))).ToList()
                    : [];
                items.Add(new PollExportItem(
                    s.Id, s.SessionKey, s.Title, p.Id, p.Position, p.Kind, p.Question, p.Status, p.Visibility, frame.Voters, frame.Average,
                    OptionsOf(p.Kind, frame.Options), frame.Words, answers, p.Kind == PollKinds.Quiz ? PollRules.Correct(p) : null,
                    p.OpenedAt is { } opened ? Local(opened, zone) : null, p.ClosedAt is { } closed ? Local(closed, zone) : null));
            }
        }
        return new PollExport(Scope(e, only), items);
    }

    /// <summary>Each session's reaction totals, in the order the reactions are offered; reactions nobody sent are left out.</summary>
    public async Task<ReactionExport> ReactionsAsync(EventRow e, SessionRow? only, CancellationToken ct)
    {
        var sessions = only is null ? await events.ListSessionsAsync(e.Id, ct) : [only];
        var items = new List<ReactionExportItem>();
        foreach (var s in sessions)
        {
            var totals = await reactions.TotalsAsync(s.Id, ct);
            var order = ReactionService.Kinds.Keys.ToList();
            int Rank(string key) => order.IndexOf(key) is var i and >= 0 ? i : int.MaxValue;
            items.AddRange(totals
                .Where(t => t.Value > 0)
                .OrderBy(t => Rank(t.Key)).ThenBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => new ReactionExportItem(s.Id, s.SessionKey, s.Title, t.Key, ReactionService.Kinds.GetValueOrDefault(t.Key, ""), t.Value)));
        }
        return new ReactionExport(Scope(e, only), items);
    }

    /// <summary>
    /// The screen's option numbers, each meaning what it means for the kind. Points are Borda points only in a ranking (the
    /// other kinds count one per pick, the votes again). A ranking's percent of voters is always 100, so its percent is the
    /// option's share of all points instead: in proportion to the points the screens show, and adding up to 100.
    /// </summary>
    public static IReadOnlyList<PollOptionExport> OptionsOf(string kind, IReadOnlyList<OptionResult> options)
    {
        if (kind != PollKinds.Ranking)
        {
            return options.Select(o => new PollOptionExport(o.Index, o.Label, o.Votes, o.Percent, null)).ToList();
        }
        var total = options.Sum(o => o.Points);
        return options
            .Select(o => new PollOptionExport(o.Index, o.Label, o.Votes, total == 0 ? 0 : Math.Round(100.0 * o.Points / total, 1), o.Points))
            .ToList();
    }

    /// <summary>Labels as the moderator tools store them: one text, split on commas or new lines.</summary>
    public static IReadOnlyList<string> Labels(string? stored) =>
        (stored ?? "").Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string? Utc(long? ms) => ms is { } v
        ? DateTimeOffset.FromUnixTimeMilliseconds(v).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
        : null;

    public static string Utc(long ms) => Utc((long?)ms)!;

    public static string? Local(long? ms, TimeZoneInfo zone) => ms is { } v
        ? TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(v), zone).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)
        : null;

    public static string Local(long ms, TimeZoneInfo zone) => Local((long?)ms, zone)!;

    private ExportScope Scope(EventRow e, SessionRow? only) =>
        new(e.Code, e.Name, e.TimeZone, only?.Id, only?.SessionKey, only?.Title, Utc(clock.GetUtcNow().ToUnixTimeMilliseconds()));

    private static TimeZoneInfo Zone(EventRow e) => ScenarioRules.FindZone(e.TimeZone) ?? TimeZoneInfo.Utc;

    /// <summary>The first 10 hex digits of HMAC-SHA256 under the event's own key: the same person is the same pseudonym within an event only.</summary>
    private sealed class Pseudonyms(string key)
    {
        private readonly byte[] _key = Convert.FromBase64String(key);
        private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);

        public string Of(string participantId)
        {
            if (!_known.TryGetValue(participantId, out var pseudonym))
            {
                pseudonym = Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(participantId)))[..10];
                _known[participantId] = pseudonym;
            }
            return pseudonym;
        }
    }
}
