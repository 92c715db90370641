namespace LiveHub.Realtime;

/// <summary>Every SignalR group name is built here.</summary>
public static class GroupNames
{
    public static string Audience(long sessionId) => $"s:{sessionId}:audience";
    public static string Moderators(long sessionId) => $"s:{sessionId}:moderators";
    public static string Projector(long sessionId) => $"s:{sessionId}:projector";
    public static string Event(long eventId) => $"e:{eventId}";
    public static string EventModerators(long eventId) => $"e:{eventId}:moderators";
}
