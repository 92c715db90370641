namespace LiveHub.Polls;

public static class PollKinds
{
    public const string Single = "single";
    public const string Multiple = "multiple";
    public const string Rating = "rating";
    public const string WordCloud = "wordcloud";
    public const string Text = "text";
    public const string Ranking = "ranking";
    public const string Quiz = "quiz";

    public static readonly IReadOnlyList<string> All = [Single, Multiple, Rating, WordCloud, Text, Ranking, Quiz];

    /// <summary>Kinds whose answers pick from a list of options.</summary>
    public static bool HasOptions(string kind) => kind is Single or Multiple or Ranking or Quiz;
}

public static class PollVisibility
{
    /// <summary>Results show as votes arrive.</summary>
    public const string Live = "live";

    /// <summary>Results show once the poll is closed.</summary>
    public const string OnClose = "on_close";

    /// <summary>Results show only when a moderator reveals them.</summary>
    public const string Hidden = "hidden";

    public static bool IsKnown(string? v) => v is Live or OnClose or Hidden;
}

public static class ProjectorModes
{
    public const string Questions = "questions";
    public const string Poll = "poll";
    public const string Idle = "idle";

    public static bool IsKnown(string? m) => m is Questions or Poll or Idle;
}
