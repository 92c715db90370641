namespace LiveHub.Realtime;

/// <summary>Every SignalR group name is built here (and read back here).</summary>
public static class GroupNames
{
    public static string Audience(long sessionId) => $"s:{sessionId}:audience";
    public static string Moderators(long sessionId) => $"s:{sessionId}:moderators";
    public static string Projector(long sessionId) => $"s:{sessionId}:projector";
    public static string Event(long eventId) => $"e:{eventId}";
    public static string EventModerators(long eventId) => $"e:{eventId}:moderators";

    /// <summary>The session and view of a session's group, or null for any other group.</summary>
    public static (long SessionId, string View)? SessionOf(string group)
    {
        var parts = group.Split(':');
        return parts is ["s", var id, var view] && long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sessionId)
            && view is "audience" or "moderators" or "projector"
            ? (sessionId, view)
            : null;
    }
}
