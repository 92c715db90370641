using System.ComponentModel.DataAnnotations;

namespace LiveHub.Questions;

/// <summary>
/// Q&amp;A limits. Section <c>LiveHub:Questions</c>, e.g.
/// <code>{ "LiveHub": { "Questions": { "MaxLength": 500, "AsksPerMinute": 5, "UpvoteFlushMilliseconds": 250 } } }</code>
/// </summary>
public sealed class QuestionOptions
{
    public const string Section = "LiveHub:Questions";

    /// <summary>Longest question, in characters after trimming.</summary>
    [Range(1, 2000)] public int MaxLength { get; set; } = 500;

    /// <summary>Longest display name.</summary>
    [Range(1, 200)] public int MaxNameLength { get; set; } = 60;

    /// <summary>Questions one participant may ask in a sliding minute.</summary>
    [Range(1, 1000)] public int AsksPerMinute { get; set; } = 5;

    /// <summary>Upvote changes one participant may make in a sliding minute.</summary>
    [Range(1, 10000)] public int UpvotesPerMinute { get; set; } = 60;

    /// <summary>Writes (asks, upvotes and poll votes) one network address may make in a minute. Generous: a venue's Wi-Fi puts hundreds of phones behind one address.</summary>
    [Range(1, 1_000_000)] public int WritesPerAddressPerMinute { get; set; } = 3000;

    /// <summary>How often upvote counts are pushed, at most, per session (to its moderators every time).</summary>
    [Range(20, 10_000)] public int UpvoteFlushMilliseconds { get; set; } = 250;

    /// <summary>
    /// Upvote-count messages a second to a whole room (phones and projector) at most: a room of more than
    /// <c>RoomUpvoteMessagesPerSecond × UpvoteFlushMilliseconds / 1000</c> people gets its counts less often than every flush,
    /// down to <see cref="RoomUpvoteSlowestMilliseconds"/>.
    /// </summary>
    [Range(1, 1_000_000)] public int RoomUpvoteMessagesPerSecond { get; set; } = 5000;

    /// <summary>The longest a room waits for upvote counts, however large it is.</summary>
    [Range(250, 60_000)] public int RoomUpvoteSlowestMilliseconds { get; set; } = 5000;
}
