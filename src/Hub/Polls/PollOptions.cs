using System.ComponentModel.DataAnnotations;

namespace LiveHub.Polls;

/// <summary>
/// Poll limits and result rates. Section <c>LiveHub:Polls</c>, e.g.
/// <code>{ "LiveHub": { "Polls": { "PhoneFramesPerSecond": 4, "PhoneMessagesPerSecond": 2000, "ScreenFramesPerSecond": 10, "VotesPerMinute": 60 } } }</code>
/// </summary>
public sealed class PollOptions
{
    public const string Section = "LiveHub:Polls";

    /// <summary>Results frames per second per poll, at most, to the audience's phones.</summary>
    [Range(1, 50)] public int PhoneFramesPerSecond { get; set; } = 4;

    /// <summary>
    /// Results messages per second per poll to phones, summed over the session's head count: a hall's phones get fewer
    /// frames each (at 2,000: 4 a second up to 500 people, 2 at 1,000, 1 from 2,000 on), never fewer than one a second.
    /// Projectors and moderators keep <see cref="ScreenFramesPerSecond"/> whatever the room's size.
    /// </summary>
    [Range(1, 10_000_000)] public int PhoneMessagesPerSecond { get; set; } = 2000;

    /// <summary>Results frames per second per poll, at most, to projectors and moderators.</summary>
    [Range(1, 50)] public int ScreenFramesPerSecond { get; set; } = 10;

    /// <summary>Votes (including changed votes) one participant may cast per minute.</summary>
    [Range(1, 10_000)] public int VotesPerMinute { get; set; } = 60;
}
