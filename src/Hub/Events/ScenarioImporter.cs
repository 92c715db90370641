using LiveHub.Data.Events;
using LiveHub.Data.Polls;
using LiveHub.Data.Questions;
using LiveHub.Identity;
using LiveHub.Polls;

namespace LiveHub.Events;

/// <summary>Turns a scenario into a stored event: rooms, sessions and, for the demo, its sample questions.</summary>
public sealed class ScenarioImporter(EventStore events, QuestionStore questions, PollStore polls)
{
    /// <summary>The participant id the demo's sample questions are stored under.</summary>
    public const string SampleAuthor = "sample-questions";

    public async Task<long> ImportAsync(Scenario scenario, ImportSettings settings, CancellationToken ct)
    {
        // Check every prepared poll before anything is stored: an import is all or nothing.
        var pollDefinitions = new List<(string Session, PollDefinition Definition)>();
        foreach (var p in scenario.SamplePolls ?? [])
        {
            var request = new PollDraftRequest(0, p.Kind, p.Question, p.Options, p.MaxPicks, p.Scale, p.Correct, p.TimeLimitSeconds, p.Visibility);
            if (PollRules.CheckDefinition(request, out var definition) is { } error)
            {
                throw new FormatException($"Poll '{p.Question}' in session '{p.Session}': {error.Message}");
            }
            pollDefinitions.Add((p.Session, definition));
        }
        var e = scenario.Event;
        var newEvent = new NewEvent(
            settings.Code, e.Name, e.Theme, e.Host, e.City, e.TimeZone, e.DefaultLanguage, e.Languages,
            e.StartDate, e.EndDate, PasscodeHasher.Hash(settings.ModeratorPasscode),
            scenario.Rooms.Select(r => new NewRoom(r.Key, r.Name, r.Capacity, JoinCode.New())).ToList(),
            scenario.Sessions.Select(s => new NewSession(
                s.Key, s.Room, s.Title, s.Kind, s.Speakers ?? [],
                scenario.At(s.Day, s.Start), scenario.At(s.Day, s.End),
                settings.LiveSessionKeys.Contains(s.Key) ? SessionStatus.Live : null,
                ModerationModes.IsKnown(s.Moderation) ? s.Moderation! : settings.DefaultModeration)).ToList(),
            e.FollowBrowserLanguage);
        var eventId = await events.CreateAsync(newEvent, ct);

        var sessions = (await events.ListSessionsAsync(eventId, ct)).ToDictionary(s => s.SessionKey);
        foreach (var (sessionKey, definition) in pollDefinitions)
        {
            if (sessions.TryGetValue(sessionKey, out var session))
            {
                await polls.CreateAsync(session.Id, definition, ct);
            }
        }
        if (settings.SeedSampleQuestions && scenario.SampleQuestions is { Count: > 0 } samples)
        {
            var n = 0;
            foreach (var sample in samples)
            {
                if (sessions.TryGetValue(sample.Session, out var session))
                {
                    await questions.AskAsync(new NewQuestion(
                        session.Id, SampleAuthor, $"sample-{eventId}-{n++}", null, sample.Text, QuestionStatus.Approved), ct);
                }
            }
        }
        return eventId;
    }
}

/// <summary>How to import: the join code, the moderator passcode in clear (it is stored hashed), and which sessions open live.</summary>
public sealed record ImportSettings(
    string Code,
    string ModeratorPasscode,
    IReadOnlySet<string> LiveSessionKeys,
    bool SeedSampleQuestions,
    string DefaultModeration = ModerationModes.Pre);
