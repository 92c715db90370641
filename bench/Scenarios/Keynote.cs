using System.Collections.Concurrent;
using System.Diagnostics;
using LiveHub.Bench.Clients;
using LiveHub.Bench.Measure;

namespace LiveHub.Bench.Scenarios;

/// <summary>
/// What the keynote's lean phones read, with span searches only: the moderator's actions (keyed by question and action, as the
/// moderator's side recorded them) and the poll's results frames (the voter count, and how many frames each phone got).
/// </summary>
public sealed class KeynoteWatch(int phones, Stalls stalls)
{
    public const int Approve = 0, Show = 1, Answer = 2;

    private readonly ConcurrentDictionary<long, long> _sent = new();
    private readonly int[] _frames = new int[phones];
    private readonly long[] _voters = new long[phones];
    private readonly long[] _votersAt = new long[phones];
    private readonly bool[] _moved = new bool[phones];
    private readonly long[] _rejoinedAt = new long[phones];
    private long _delivered;
    private long _expected;

    /// <summary>The poll whose frames are counted (0: none yet).</summary>
    public long PollId { get; set; }

    /// <summary>Frames are counted while this is set (the voting window).</summary>
    public volatile bool CountFrames;

    public Histogram Room { get; } = new();
    public long Delivered => Interlocked.Read(ref _delivered);
    public long Expected => Interlocked.Read(ref _expected);
    public IReadOnlyList<int> Frames => _frames;

    /// <summary>Marks a phone that was dropped and rejoined: it may have missed an action while away, so it is not counted.</summary>
    public void Moved(int phone) => _moved[phone] = true;

    /// <summary>When a dropped phone had joined again (its snapshot then carried the results as they stood).</summary>
    public void Rejoined(int phone) => Volatile.Write(ref _rejoinedAt[phone], Stopwatch.GetTimestamp());

    public long RejoinedAt(int phone) => Volatile.Read(ref _rejoinedAt[phone]);

    public void Sent(long questionId, int action, int audience)
    {
        _sent[questionId * 4 + action] = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _expected, audience);
    }

    /// <summary>The phone's last voter count and when it first showed it.</summary>
    public (long Voters, long At) Results(int phone) => (Volatile.Read(ref _voters[phone]), Volatile.Read(ref _votersAt[phone]));

    public long Counted(int audience) => Enumerable.Range(0, audience).Count(i => !_moved[i]);

    /// <summary>
    /// A phone that rejoins takes the poll's results from its session snapshot (<c>"results":[{"pollId":…,"voters":…}]</c>), not
    /// from a frame: read them there too.
    /// </summary>
    public void ReadCompletion(LeanPhone phone, ReadOnlySpan<byte> record)
    {
        var results = record.IndexOf("\"results\":["u8);
        if (results < 0 || PollId == 0)
        {
            return;
        }
        var rest = record[results..];
        var key = System.Text.Encoding.UTF8.GetBytes($"{{\"pollId\":{PollId},");
        var at = rest.IndexOf(key);
        if (at >= 0 && LeanPhone.NumberAfter(rest[at..], "\"voters\":"u8) is { } voters)
        {
            Seen(phone.Index, voters);
        }
    }

    private void Seen(int i, long voters)
    {
        if (voters != Volatile.Read(ref _voters[i]))
        {
            Volatile.Write(ref _voters[i], voters);
            Volatile.Write(ref _votersAt[i], Stopwatch.GetTimestamp());
        }
    }

    public void Read(LeanPhone phone, ReadOnlySpan<byte> record)
    {
        var target = LeanAudience.Target(record);
        if (target.SequenceEqual("PollResultsChanged"u8))
        {
            if (LeanPhone.NumberAfter(record, "\"pollId\":"u8) != PollId || LeanPhone.NumberAfter(record, "\"voters\":"u8) is not { } voters)
            {
                return;
            }
            var i = phone.Index;
            if (CountFrames)
            {
                Interlocked.Increment(ref _frames[i]);
            }
            Seen(i, voters);
            return;
        }
        long? key = null;
        if (target.SequenceEqual("QuestionApproved"u8))
        {
            key = LeanPhone.NumberAfter(record, "\"question\":{\"id\":"u8) * 4 + Approve;
        }
        else if (target.SequenceEqual("QuestionOnScreenChanged"u8))
        {
            key = LeanPhone.NumberAfterLast(record, "\"onScreenQuestionId\":"u8) * 4 + Show;
        }
        else if (target.SequenceEqual("QuestionAnswered"u8))
        {
            key = LeanPhone.NumberAfter(record, "\"question\":{\"id\":"u8) * 4 + Answer;
        }
        if (key is { } k && _sent.TryGetValue(k, out var sentAt) && !_moved[phone.Index])
        {
            var ms = Histogram.MsSince(sentAt);
            Room.Record(ms);
            stalls.Record(sentAt, ms);
            Interlocked.Increment(ref _delivered);
        }
    }
}

/// <summary>
/// Per second of a run: the longest any delivery or acknowledgement sent in that second waited, and the server's share of its
/// core in that second. A stall is a second in which something waited over a second while the server had CPU to spare.
/// </summary>
public sealed class Stalls(Func<double> serverCpuSeconds)
{
    private const int MaxSeconds = 3600;
    private long _start = Stopwatch.GetTimestamp();
    private readonly long[] _maxWaitUs = new long[MaxSeconds];
    private readonly double[] _cpu = new double[MaxSeconds];

    /// <summary>Counts seconds from now (the start of the part of the run that is judged).</summary>
    public void Begin() => _start = Stopwatch.GetTimestamp();

    public void Record(long sentAt, double ms)
    {
        var second = (int)((sentAt - _start) / Stopwatch.Frequency);
        if (second is < 0 or >= MaxSeconds)
        {
            return;
        }
        var us = (long)(ms * 1000);
        long seen;
        while (us > (seen = Volatile.Read(ref _maxWaitUs[second])) && Interlocked.CompareExchange(ref _maxWaitUs[second], us, seen) != seen)
        {
        }
    }

    /// <summary>Samples the server's CPU once a second until cancelled.</summary>
    public async Task SampleAsync(CancellationToken ct)
    {
        var before = serverCpuSeconds();
        var second = 0;
        try
        {
            while (second < MaxSeconds)
            {
                var due = _start + (second + 1) * Stopwatch.Frequency - Stopwatch.GetTimestamp();
                if (due > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(due / (double)Stopwatch.Frequency), ct);
                }
                var now = serverCpuSeconds();
                _cpu[second++] = now - before;
                before = now;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The seconds (from the run's start) in which something waited over <paramref name="limitMs"/> with the server under <paramref name="busy"/> of its core.</summary>
    public IReadOnlyList<(int Second, double WaitMs, double ServerCpu)> Find(int seconds, double limitMs = 1000, double busy = 0.9) =>
        Enumerable.Range(0, Math.Min(seconds, MaxSeconds))
            .Where(s => _maxWaitUs[s] / 1000.0 > limitMs && _cpu[s] < busy)
            .Select(s => (s, _maxWaitUs[s] / 1000.0, _cpu[s])).ToList();

    public double LongestWaitMs(int seconds) => Enumerable.Range(0, Math.Min(seconds, MaxSeconds)).Max(s => _maxWaitUs[s]) / 1000.0;

    public int Elapsed => (int)((Stopwatch.GetTimestamp() - _start) / Stopwatch.Frequency);
}
