using LiveHub.ScaleOut;
using Microsoft.Extensions.Time.Testing;

namespace LiveHub.Tests.ScaleOut;

/// <summary>What a node hands its members when deltas from several nodes arrive out of order, late, twice or never.</summary>
public sealed class DeltaSequencerTests
{
    private const string Group = "s:1:audience";
    private readonly FakeTimeProvider _clock = new();
    private readonly DeltaSequencer<long> _order;

    public DeltaSequencerTests() => _order = new DeltaSequencer<long>(_clock, TimeSpan.FromSeconds(1));

    [Fact]
    public void SwappedDeltasAreHandedOverInVersionOrder()
    {
        Assert.Empty(_order.Started(Group, 4));
        Assert.Empty(_order.Arrived(Group, 6, 6));
        Assert.Equal([5, 6], _order.Arrived(Group, 5, 5));
        Assert.Equal([7], _order.Arrived(Group, 7, 7));
    }

    [Fact]
    public void DeltasBeforeTheFirstSnapshotWaitForItAndThoseItAlreadyHoldsAreDropped()
    {
        Assert.Empty(_order.Arrived(Group, 3, 3));
        Assert.Empty(_order.Arrived(Group, 5, 5));
        Assert.Equal([5], _order.Started(Group, 4));
        // A later member's snapshot does not move the order of the members already there.
        Assert.Empty(_order.Started(Group, 9));
        Assert.Equal([6], _order.Arrived(Group, 6, 6));
    }

    [Fact]
    public void ALostVersionHoldsTheNextOnesOnlyUntilTheHoldRunsOut()
    {
        _order.Started(Group, 1);
        Assert.Empty(_order.Arrived(Group, 3, 3));
        Assert.Empty(_order.Arrived(Group, 4, 4));
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Empty(_order.Expired());
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([(Group, 3L), (Group, 4L)], _order.Expired());
        Assert.Equal([5], _order.Arrived(Group, 5, 5));
        // The lost one, if it turns up after all, goes at once: its screens ignore it.
        Assert.Equal([2], _order.Arrived(Group, 2, 2));
    }

    [Fact]
    public void ARepeatIsHandedOverAtOnceAndGroupsKeepTheirOwnOrder()
    {
        _order.Started(Group, 1);
        _order.Started("s:1:moderators", 10);
        Assert.Equal([2], _order.Arrived(Group, 2, 2));
        Assert.Equal([2], _order.Arrived(Group, 2, 2));
        Assert.Equal([11], _order.Arrived("s:1:moderators", 11, 11));
        Assert.Empty(_order.Arrived("s:1:moderators", 13, 13));
        Assert.Equal([3], _order.Arrived(Group, 3, 3));
    }

    [Fact]
    public void AVersionSentOnThisNodeAloneMovesTheOrderOn()
    {
        _order.Started(Group, 1);
        Assert.Empty(_order.Arrived(Group, 3, 3));
        Assert.Equal([3], _order.Seen(Group, 4));
        Assert.Equal([5], _order.Arrived(Group, 5, 5));
    }
}
