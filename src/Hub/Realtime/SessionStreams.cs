namespace LiveHub.Realtime;

/// <summary>
/// A delta that moves a session's version for its view: <see cref="Version"/> is the session's version (public for the audience
/// and projector groups, moderation for the moderators' group) once the change is applied. Clients apply them in order
/// (docs/protocol.md section 4).
/// </summary>
public interface IVersionedDelta
{
    long SessionId { get; }

    long Version { get; }
}

/// <summary>
/// Where a session group's deltas start for this node: told the version of each snapshot a member takes, so that deltas which
/// cross between nodes can be handed to the members in version order (see ScaleOut's ClusterHubLifetimeManager). One node
/// needs nothing: its writes push in version order under the session's lock.
/// </summary>
public interface ISessionStreams
{
    void Joined(string group, long version);
}

/// <summary>One node: nothing to put in order.</summary>
public sealed class LocalSessionStreams : ISessionStreams
{
    public void Joined(string group, long version)
    {
    }
}
