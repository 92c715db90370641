using System.Globalization;
using LiveHub.Data.Events;
using LiveHub.Data.Polls;
using LiveHub.Events;
using LiveHub.Polls;

namespace LiveHub.Admin;

/// <summary>A stored event written back in the scenario format, so the export of an import is a valid import of the same event.</summary>
public static class ScenarioExport
{
    public static Scenario Build(EventRow e, IReadOnlyList<RoomRow> rooms, IReadOnlyList<SessionRow> sessions, IReadOnlyList<PollRow> polls)
    {
        var zone = ScenarioRules.FindZone(e.TimeZone) ?? TimeZoneInfo.Utc;
        var firstDay = FirstDay(e, sessions, zone);
        var roomKeys = rooms.ToDictionary(r => r.Id, r => r.RoomKey);
        var sessionKeys = sessions.ToDictionary(s => s.Id, s => s.SessionKey);
        return new Scenario(
            new ScenarioEvent(e.Name, e.Theme, e.Host, e.City, e.TimeZone, firstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                e.EndDate, e.DefaultLanguage, e.Languages.Split(',', StringSplitOptions.RemoveEmptyEntries), e.FollowBrowserLanguage),
            rooms.Select(r => new ScenarioRoom(r.RoomKey, r.Name, (int?)r.Capacity)).ToList(),
            sessions.Select(s =>
            {
                var (day, start) = ScenarioRules.ToAgenda(s.StartsAt, firstDay, zone);
                var (_, end) = ScenarioRules.ToAgenda(s.EndsAt, firstDay, zone);
                return new ScenarioSession(s.SessionKey, roomKeys[s.RoomId], day, start, end, s.Kind, s.Title,
                    s.Speakers.Split('\n', StringSplitOptions.RemoveEmptyEntries), s.Moderation);
            }).ToList(),
            SampleQuestions: null,
            SamplePolls: polls.Where(p => sessionKeys.ContainsKey(p.SessionId)).Select(p => Poll(p, sessionKeys[p.SessionId])).ToList());
    }

    /// <summary>A poll as its definition: the fields its kind uses, nothing of its run.</summary>
    public static ScenarioPoll Poll(PollRow p, string sessionKey) => new(
        sessionKey,
        p.Kind,
        p.Question,
        PollKinds.HasOptions(p.Kind) ? PollRules.Options(p) : null,
        p.Kind == PollKinds.Rating ? (int?)p.Scale : null,
        p.Kind == PollKinds.Multiple ? (int?)p.MaxPicks : null,
        p.Kind == PollKinds.Quiz ? PollRules.Correct(p) : null,
        p.Kind == PollKinds.Quiz ? (int?)p.TimeLimitSeconds : null,
        p.Visibility);

    /// <summary>Day 1 of the agenda: the event's start date, else the day its first session starts.</summary>
    public static DateOnly FirstDay(EventRow e, IReadOnlyList<SessionRow> sessions, TimeZoneInfo zone)
    {
        if (ScenarioRules.TryDate(e.StartDate, out var start))
        {
            return start;
        }
        var first = sessions.Count > 0 ? sessions.Min(s => s.StartsAt) : e.CreatedAt;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(first), zone).DateTime);
    }
}
