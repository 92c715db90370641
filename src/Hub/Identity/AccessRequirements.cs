namespace LiveHub.Identity;

/// <summary>What a moderator-only call is about, so the one check can find the event it belongs to.</summary>
public enum Concerning
{
    /// <summary>An event: an <see cref="IEventRequest"/>, or the route's <c>{code}</c>.</summary>
    Event,

    /// <summary>A session: an <see cref="ISessionRequest"/>, a <c>sessionId</c> argument, or the route's <c>{sessionId}</c>.</summary>
    Session,

    /// <summary>A poll: an <see cref="IPollRequest"/>.</summary>
    Poll,
}

/// <summary>
/// Who may call a hub method or an HTTP endpoint. Every one declares exactly one kind; the hub filter and the HTTP access
/// middleware enforce it before the method runs, and refuse what declares nothing.
/// </summary>
public abstract class AccessAttribute : Attribute;

/// <summary>Anyone: the audience is anonymous (its participant cookie is all it has), and pages and sign-in forms are public.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AnyoneAttribute : AccessAttribute;

/// <summary>
/// A moderator of the event the call concerns, signed in under the event's current passcode. Several on one method must all hold
/// (a poll copied into a session: both are the caller's).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ModeratorAttribute(Concerning concerning) : AccessAttribute
{
    public Concerning Concerning { get; } = concerning;

    /// <summary>Only when the call asks for this view (its <c>view</c> argument or query); other views are open to anyone.</summary>
    public string? ForView { get; init; }

    /// <summary>The organizer (the admin sign-in) may call it too.</summary>
    public bool OrOrganizer { get; init; }
}

/// <summary>The organizer: the admin sign-in (HTTP only).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OrganizerAttribute : AccessAttribute;

/// <summary>A request about an event.</summary>
public interface IEventRequest
{
    long EventId { get; }
}

/// <summary>A request about a session.</summary>
public interface ISessionRequest
{
    long SessionId { get; }
}

/// <summary>A request about a poll.</summary>
public interface IPollRequest
{
    long PollId { get; }
}
