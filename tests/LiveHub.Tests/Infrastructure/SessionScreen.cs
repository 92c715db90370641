using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;

namespace LiveHub.Tests.Infrastructure;

/// <summary>
/// One session as a page shows it, kept the way the pages keep it (<c>src/Web/wwwroot/js/lib/session-state.js</c>): a snapshot,
/// then each versioned delta exactly in order; a gap, an announced newer version or a reconnect fetches a fresh snapshot;
/// of each poll's results frames the highest version wins. It also writes down every version it was sent, in the order they
/// arrived, so a test can tell whether the stream had a gap or a repeat.
/// </summary>
public sealed class SessionScreen : IDisposable
{
    private static readonly HashSet<string> Versioned =
    [
        nameof(ILiveClient.QuestionAsked), nameof(ILiveClient.QuestionApproved), nameof(ILiveClient.QuestionDismissed),
        nameof(ILiveClient.QuestionAnswered), nameof(ILiveClient.QuestionArchived), nameof(ILiveClient.QuestionRestored),
        nameof(ILiveClient.QuestionEdited), nameof(ILiveClient.QuestionReplied), nameof(ILiveClient.QuestionLabeled),
        nameof(ILiveClient.QuestionMerged), nameof(ILiveClient.QuestionOnScreenChanged), nameof(ILiveClient.UpvotesChanged),
        nameof(ILiveClient.ModerationModeChanged), nameof(ILiveClient.PollDrafted), nameof(ILiveClient.PollOpened),
        nameof(ILiveClient.PollClosed), nameof(ILiveClient.PollRevealed), nameof(ILiveClient.PollReset), nameof(ILiveClient.PollDeleted),
        nameof(ILiveClient.ProjectorChanged),
    ];

    private readonly TestClient _client;
    private readonly long _sessionId;
    private readonly string _view;
    private readonly Lock _gate = new();
    private readonly List<(string Kind, object Delta, long Version)> _held = [];
    private readonly Dictionary<long, QuestionView> _questions = [];
    private readonly Dictionary<long, PollView> _polls = [];
    private readonly Dictionary<long, PollResults> _results = [];
    private readonly List<long> _arrivals = [];
    private long? _version;
    private long _announced;
    private bool _resyncing;
    private bool _disposed;

    private SessionScreen(TestClient client, long sessionId, string view)
    {
        _client = client;
        _sessionId = sessionId;
        _view = view;
    }

    /// <summary>Joins the session with the client, as a page opening on it does, and keeps its screen from then on.</summary>
    public static async Task<SessionScreen> OpenAsync(TestClient client, long sessionId, string view = SessionViews.Audience)
    {
        var screen = new SessionScreen(client, sessionId, view);
        client.Arrived += screen.OnArrived;
        client.Reconnected += screen.OnReconnected;
        screen.Load(await client.JoinAsync(sessionId, view));
        return screen;
    }

    public TestClient Client => _client;

    /// <summary>The version the screen shows, or null while it has none.</summary>
    public long? Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>How many snapshots it has loaded, the first included.</summary>
    public int Snapshots { get; private set; }

    /// <summary>How many times a version announcement made it fetch a snapshot.</summary>
    public int AnnouncedResyncs { get; private set; }

    /// <summary>The versions of the versioned events it was sent, in the order they arrived.</summary>
    public IReadOnlyList<long> Arrivals
    {
        get
        {
            lock (_gate)
            {
                return [.. _arrivals];
            }
        }
    }

    /// <summary>Where the version stream it was sent skipped or repeated a version: (previous, next) pairs.</summary>
    public IReadOnlyList<(long Previous, long Next)> Breaks
    {
        get
        {
            var arrivals = Arrivals;
            return arrivals.Zip(arrivals.Skip(1)).Where(p => p.Second != p.First + 1).ToList();
        }
    }

    /// <summary>The questions on the screen (audience and projector: the public ones).</summary>
    public IReadOnlyDictionary<long, QuestionView> Questions
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<long, QuestionView>(_questions);
            }
        }
    }

    public IReadOnlyDictionary<long, PollView> Polls
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<long, PollView>(_polls);
            }
        }
    }

    /// <summary>The results frame shown for a poll, or null.</summary>
    public PollResults? Results(long pollId)
    {
        lock (_gate)
        {
            return _results.GetValueOrDefault(pollId);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _client.Arrived -= OnArrived;
        _client.Reconnected -= OnReconnected;
    }

    private void OnArrived(string kind, object payload)
    {
        lock (_gate)
        {
            switch (payload)
            {
                case SessionVersionNotice notice when notice.SessionId == _sessionId:
                    _announced = Math.Max(_announced, notice.Version);
                    if (_version is { } shown && notice.Version > shown && !_resyncing)
                    {
                        AnnouncedResyncs++;
                        RefetchLocked();
                    }
                    return;
                case PollResults frame when frame.SessionId == _sessionId:
                    if (!_results.TryGetValue(frame.PollId, out var held) || frame.Version > held.Version)
                    {
                        _results[frame.PollId] = frame;
                    }
                    return;
            }
            if (!Versioned.Contains(kind) || VersionOf(payload) is not { } delta || delta.SessionId != _sessionId)
            {
                return;
            }
            _arrivals.Add(delta.Version);
            if (_version is null || _resyncing)
            {
                _held.Add((kind, payload, delta.Version));
                return;
            }
            if (delta.Version <= _version)
            {
                return;
            }
            if (delta.Version == _version + 1)
            {
                ApplyLocked(kind, payload, delta.Version);
                ReplayLocked();
                return;
            }
            _held.Add((kind, payload, delta.Version));
            RefetchLocked();
        }
    }

    private void OnReconnected()
    {
        lock (_gate)
        {
            RefetchLocked();
        }
    }

    private void Load(SessionSnapshot snapshot)
    {
        lock (_gate)
        {
            _resyncing = false;
            Snapshots++;
            _version = snapshot.Version;
            _questions.Clear();
            foreach (var q in snapshot.Questions.Where(Visible))
            {
                _questions[q.Id] = q;
            }
            _polls.Clear();
            foreach (var p in snapshot.Polls)
            {
                _polls[p.Id] = p;
            }
            foreach (var frame in snapshot.Results)
            {
                if (!_results.TryGetValue(frame.PollId, out var held) || frame.Version > held.Version)
                {
                    _results[frame.PollId] = frame;
                }
            }
            ReplayLocked();
            // An announcement that came while this snapshot was on its way may be newer still.
            if (_announced > _version)
            {
                RefetchLocked();
            }
        }
    }

    private void ReplayLocked()
    {
        _held.Sort((a, b) => a.Version.CompareTo(b.Version));
        while (_held.Count > 0 && _version is { } version)
        {
            var (kind, delta, v) = _held[0];
            if (v <= version)
            {
                _held.RemoveAt(0);
            }
            else if (v == version + 1)
            {
                _held.RemoveAt(0);
                ApplyLocked(kind, delta, v);
            }
            else
            {
                RefetchLocked();
                return;
            }
        }
    }

    private void ApplyLocked(string kind, object payload, long version)
    {
        _version = version;
        switch (payload)
        {
            case QuestionDelta d:
                if (Visible(d.Question))
                {
                    _questions[d.Question.Id] = d.Question;
                }
                else
                {
                    _questions.Remove(d.Question.Id);
                }
                break;
            case UpvotesDelta d:
                foreach (var c in d.Counts)
                {
                    if (_questions.TryGetValue(c.QuestionId, out var q))
                    {
                        _questions[c.QuestionId] = q with { Upvotes = c.Upvotes };
                    }
                }
                break;
            case PollDelta d when kind == nameof(ILiveClient.PollDeleted) || (_view != SessionViews.Moderator && d.Poll.Status == "draft"):
                _polls.Remove(d.Poll.Id);
                _results.Remove(d.Poll.Id);
                break;
            case PollDelta d:
                if (kind == nameof(ILiveClient.PollReset))
                {
                    _results.Remove(d.Poll.Id);
                }
                _polls[d.Poll.Id] = d.Poll;
                break;
        }
    }

    /// <summary>Fetches a fresh snapshot off the receive loop, as the page does, trying again while the connection is down.</summary>
    private void RefetchLocked()
    {
        if (_resyncing || _disposed)
        {
            return;
        }
        _resyncing = true;
        _ = Task.Run(async () =>
        {
            while (!_disposed)
            {
                try
                {
                    Load(await _client.JoinAsync(_sessionId, _view));
                    return;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    await Task.Delay(200);
                }
            }
        });
    }

    private bool Visible(QuestionView q) => _view == SessionViews.Moderator || q.Status is "approved" or "answered";

    private static (long SessionId, long Version)? VersionOf(object payload) => payload switch
    {
        QuestionDelta d => (d.SessionId, d.Version),
        UpvotesDelta d => (d.SessionId, d.Version),
        SessionModeDelta d => (d.SessionId, d.Version),
        PollDelta d => (d.SessionId, d.Version),
        ProjectorDelta d => (d.SessionId, d.Version),
        _ => null,
    };
}
