using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveHub.Events;

/// <summary>The event definition file (the demo scenario and the admin's import format).</summary>
public sealed record Scenario(
    ScenarioEvent Event,
    IReadOnlyList<ScenarioRoom> Rooms,
    IReadOnlyList<ScenarioSession> Sessions,
    IReadOnlyList<ScenarioQuestion>? SampleQuestions,
    IReadOnlyList<ScenarioPoll>? SamplePolls = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static Scenario Parse(string json) =>
        JsonSerializer.Deserialize<Scenario>(json, Json) ?? throw new FormatException("The scenario is empty.");

    /// <summary>The same event moved to start on another day, keeping its length.</summary>
    public Scenario StartingOn(DateOnly day)
    {
        var start = DateOnly.ParseExact(Event.StartDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var end = Event.EndDate is null ? (DateOnly?)null : DateOnly.ParseExact(Event.EndDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return this with
        {
            Event = Event with
            {
                StartDate = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                EndDate = end is { } e ? day.AddDays(e.DayNumber - start.DayNumber).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            },
        };
    }

    /// <summary>A session's start or end as an instant: day 1 is the event's start date, times are in the event's time zone.</summary>
    public DateTimeOffset At(int day, string time)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Event.TimeZone);
        var date = DateOnly.ParseExact(Event.StartDate, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(day - 1);
        var local = date.ToDateTime(TimeOnly.ParseExact(time, "HH:mm", CultureInfo.InvariantCulture), DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}

public sealed record ScenarioEvent(
    string Name,
    string? Theme,
    string? Host,
    string? City,
    string TimeZone,
    string StartDate,
    string? EndDate,
    string DefaultLanguage,
    IReadOnlyList<string> Languages,
    bool FollowBrowserLanguage = false);

public sealed record ScenarioRoom(string Key, string Name, int? Capacity);

public sealed record ScenarioSession(
    string Key,
    string Room,
    int Day,
    string Start,
    string End,
    string Kind,
    string Title,
    IReadOnlyList<string>? Speakers,
    [property: JsonPropertyName("moderation")] string? Moderation);

public sealed record ScenarioQuestion(string Session, string Text);

/// <summary>A prepared poll: kind as in the poll rules, options for choice kinds, scale for ratings.</summary>
public sealed record ScenarioPoll(
    string Session,
    string Kind,
    string Question,
    IReadOnlyList<string>? Options,
    int? Scale,
    int? MaxPicks,
    IReadOnlyList<int>? Correct,
    int? TimeLimitSeconds,
    string? Visibility);
