namespace LiveHub.Polls;

/// <summary>
/// Which node sends a poll's results frames. A cluster must send each screen one stream of frames per poll, not one per node
/// that took votes, or the frame budgets multiply by the number of nodes.
/// </summary>
public interface IPollFrameOwnership
{
    /// <summary>
    /// True when this node sends the poll's next frame. False when another node does: the change has been handed to it, and
    /// this node sends nothing.
    /// </summary>
    ValueTask<bool> ClaimAsync(long pollId, CancellationToken ct);

    /// <summary>Raised on the node that sends a poll's frames when another node hands it a change to that poll.</summary>
    event Action<long>? Handed;
}

/// <summary>One node: it sends every poll's frames.</summary>
public sealed class OneNodeFrameOwnership : IPollFrameOwnership
{
    public ValueTask<bool> ClaimAsync(long pollId, CancellationToken ct) => ValueTask.FromResult(true);

    public event Action<long>? Handed
    {
        add { }
        remove { }
    }
}
