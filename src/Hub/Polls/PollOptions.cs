using System.ComponentModel.DataAnnotations;

namespace LiveHub.Polls;

/// <summary>
/// Poll limits and result rates. Section <c>LiveHub:Polls</c>, e.g.
/// <code>{ "LiveHub": { "Polls": { "PhoneFramesPerSecond": 4, "ScreenFramesPerSecond": 10, "VotesPerMinute": 60 } } }</code>
/// </summary>
public sealed class PollOptions
{
    public const string Section = "LiveHub:Polls";

    /// <summary>Results frames per second per poll, at most, to the audience's phones.</summary>
    [Range(1, 50)] public int PhoneFramesPerSecond { get; set; } = 4;

    /// <summary>Results frames per second per poll, at most, to projectors and moderators.</summary>
    [Range(1, 50)] public int ScreenFramesPerSecond { get; set; } = 10;

    /// <summary>Votes (including changed votes) one participant may cast per minute.</summary>
    [Range(1, 10_000)] public int VotesPerMinute { get; set; } = 60;
}
