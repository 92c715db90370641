namespace LiveHub.ScaleOut;

/// <summary>
/// Puts one node's deliveries of each session group's versioned deltas back in version order. Writes to one session commit in
/// version order on whichever node, but each node publishes its own deltas to Redis, so two deltas written a moment apart on
/// two nodes can arrive swapped (5 after 6). A delta that arrives ahead of its turn waits until the ones before it have
/// arrived, at most <see cref="Hold"/>; after that it goes anyway (the missing version was lost: the screens see a gap and
/// take a snapshot, as the protocol says). A group's order starts from the version of the first snapshot a member of it took
/// on this node (<see cref="Started"/>), and deltas that arrive before that wait for it (or for <see cref="Hold"/>).
/// Not thread-safe by itself: the caller serialises calls (one lock).
/// </summary>
public sealed class DeltaSequencer<T>(TimeProvider clock, TimeSpan hold)
{
    private readonly Dictionary<string, Stream> _streams = new(StringComparer.Ordinal);

    public TimeSpan Hold => hold;

    private sealed class Stream
    {
        /// <summary>The version delivered last (or seen in a snapshot); null until the first.</summary>
        public long? Last;
        public readonly SortedDictionary<long, List<T>> Pending = [];
        /// <summary>Timestamp since which the oldest pending delta waits; 0 when none waits.</summary>
        public long WaitingSince;
    }

    /// <summary>A delta for <paramref name="group"/> arrived: what to deliver now, in order (it, others it unblocked, or nothing).</summary>
    public List<T> Arrived(string group, long version, T item)
    {
        var stream = StreamOf(group);
        var ready = new List<T>();
        if (stream.Last is { } last && version <= last)
        {
            // Late or repeated: its screens already moved on, and ignore it.
            ready.Add(item);
            return ready;
        }
        if (!stream.Pending.TryGetValue(version, out var same))
        {
            stream.Pending[version] = same = [];
        }
        same.Add(item);
        Drain(stream, ready);
        return ready;
    }

    /// <summary>
    /// A member of the group took a snapshot at <paramref name="version"/>. The first one starts the group's order: what
    /// waited for it goes now if it is newer, and is dropped if the snapshot holds it already; later snapshots change
    /// nothing, so the members already there keep their order.
    /// </summary>
    public List<T> Started(string group, long version)
    {
        var stream = StreamOf(group);
        if (stream.Last is not null)
        {
            return [];
        }
        // What waited with versions up to the snapshot is in it: no member here needs those.
        foreach (var old in stream.Pending.Keys.Where(v => v <= version).ToList())
        {
            stream.Pending.Remove(old);
        }
        stream.Last = version;
        var ready = new List<T>();
        Drain(stream, ready);
        return ready;
    }

    /// <summary>
    /// The group is at least at <paramref name="version"/> (a delta this node sent to its own members alone, while its link
    /// to Redis was down): what waited for it goes now.
    /// </summary>
    public List<T> Seen(string group, long version)
    {
        var stream = StreamOf(group);
        var ready = new List<T>();
        if (stream.Last is { } last && version <= last)
        {
            return ready;
        }
        while (stream.Pending.Count > 0 && stream.Pending.First() is var (first, items) && first <= version)
        {
            ready.AddRange(items);
            stream.Pending.Remove(first);
        }
        stream.Last = version;
        Drain(stream, ready);
        return ready;
    }

    /// <summary>Every group whose oldest waiting delta has waited <see cref="Hold"/>: all it holds, in order.</summary>
    public List<(string Group, T Item)> Expired()
    {
        var now = clock.GetTimestamp();
        var ready = new List<(string, T)>();
        foreach (var (group, stream) in _streams)
        {
            if (stream.WaitingSince == 0 || clock.GetElapsedTime(stream.WaitingSince, now) < hold)
            {
                continue;
            }
            foreach (var (version, items) in stream.Pending)
            {
                ready.AddRange(items.Select(i => (group, i)));
                stream.Last = version;
            }
            stream.Pending.Clear();
            stream.WaitingSince = 0;
        }
        return ready;
    }

    /// <summary>The group has no member on this node any more: forget its order.</summary>
    public void Forget(string group)
    {
        if (_streams.TryGetValue(group, out var stream) && stream.Pending.Count == 0)
        {
            _streams.Remove(group);
        }
    }

    private Stream StreamOf(string group)
    {
        if (!_streams.TryGetValue(group, out var stream))
        {
            _streams[group] = stream = new Stream();
        }
        return stream;
    }

    private void Drain(Stream stream, List<T> ready)
    {
        while (stream.Last is { } last && stream.Pending.Remove(last + 1, out var next))
        {
            ready.AddRange(next);
            stream.Last = last + 1;
        }
        stream.WaitingSince = stream.Pending.Count == 0 ? 0 : stream.WaitingSince == 0 ? clock.GetTimestamp() : stream.WaitingSince;
    }
}
