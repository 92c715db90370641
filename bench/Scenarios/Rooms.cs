using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LiveHub.Bench.Clients;
using LiveHub.Bench.Measure;
using LiveHub.Bench.Servers;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHub.Bench.Scenarios;

/// <summary>
/// One room under load, on either side: an audience of connections, and an update that reaches all of them. LiveHub's update is a
/// moderator action (approve, put on screen); the baseline's is a <c>Clients.All</c> broadcast of a payload of the same size.
/// </summary>
public interface IRoom : IAsyncDisposable
{
    string Side { get; }
    ServerProcess? Server { get; }
    int Audience { get; }

    /// <summary>The measurement the audience's deliveries go to now, if any.</summary>
    Delivery? Current { get; set; }

    /// <summary>Grows (opening connections) or shrinks (closing them) the audience to <paramref name="total"/>.</summary>
    Task SetAudienceAsync(int total, CancellationToken ct);

    /// <summary>Gets ready to send <paramref name="count"/> updates (LiveHub: enough pending questions to act on).</summary>
    Task PrepareUpdatesAsync(int count, int textLength, CancellationToken ct);

    /// <summary>Sends update number <paramref name="seq"/>; the delivery is keyed so the audience can match it.</summary>
    Task SendUpdateAsync(long seq, Delivery delivery);

    /// <summary>A connection that joins like a phone and then stops reading.</summary>
    Task<StalledClient> ConnectStalledAsync(CancellationToken ct);
}

public sealed class LiveHubRoom : IRoom
{
    private readonly Uri _baseUri;
    private readonly BenchSettings _settings;
    private readonly List<LiveHubClient> _audience = [];
    private readonly List<LiveHubClient> _askers = [];
    private readonly ConcurrentQueue<long> _pending = new();
    private LiveHubClient _moderator = null!;
    private int _textLength;

    private LiveHubRoom(Uri baseUri, ServerProcess? server, BenchSettings settings)
    {
        _baseUri = baseUri;
        Server = server;
        _settings = settings;
    }

    public string Side => "LiveHub";
    public ServerProcess? Server { get; }
    public Uri BaseUri => _baseUri;
    public int Audience => _audience.Count;
    public Delivery? Current { get; set; }
    public long SessionId { get; private set; }
    public BenchSettings Settings => _settings;
    public LiveHubClient Moderator => _moderator;

    /// <summary>The size of a <c>QuestionApproved</c> payload as last seen, for the baseline's padding.</summary>
    public int PayloadBytes { get; private set; }

    /// <summary>Phones' results frames go here during a vote storm: (phone index, frame).</summary>
    public Action<int, PollResultsLite>? OnPhoneFrame { get; set; }

    /// <summary>The audience connections (vote storm phones).</summary>
    public IReadOnlyList<LiveHubClient> AudienceClients => _audience;

    public static async Task<LiveHubRoom> OpenAsync(Uri baseUri, ServerProcess? server, BenchSettings settings, CancellationToken ct)
    {
        var room = new LiveHubRoom(baseUri, server, settings);
        room._moderator = await LiveHubClient.ConnectAsync(baseUri, moderatorOf: settings.EventCode, passcode: settings.Passcode, ct: ct);
        var e = await room._moderator.JoinAsync(settings.EventCode, null);
        room.SessionId = e.Sessions.FirstOrDefault(s => s.Key == settings.SessionKey)?.Id
            ?? throw new InvalidOperationException($"Event {settings.EventCode} has no session '{settings.SessionKey}'");
        // Pre-moderated: asked questions go to moderators only, so the audience sees exactly the moderator's actions.
        await room._moderator.OkAsync<JsonElement>("SetModerationMode", new SetModerationModeRequest(room.SessionId, "pre"));
        room._askers.AddRange(await Many.OpenAsync(8, 8, _ => LiveHubClient.ConnectAsync(baseUri, ct: ct)));
        return room;
    }

    public Task SetAudienceAsync(int total, CancellationToken ct) =>
        Many.ResizeAsync(_audience, total, async index =>
        {
            var client = await LiveHubClient.ConnectAsync(_baseUri, c => Listen(c, index), ct: ct);
            await client.JoinAsync(_settings.EventCode, SessionId);
            return client;
        });

    private void Listen(HubConnection c, int index)
    {
        c.On<PhoneQuestionDelta>("QuestionApproved", d =>
        {
            if (d.Question is { } q)
            {
                Current?.Received(index, q.Id * 2);
            }
        });
        c.On<PhoneQuestionDelta>("QuestionOnScreenChanged", d =>
        {
            if (d.OnScreenQuestionId is { } id)
            {
                Current?.Received(index, id * 2 + 1);
            }
        });
        c.On<PollResultsLite>("PollResultsChanged", r => OnPhoneFrame?.Invoke(index, r));
    }

    /// <summary>Takes a pending question (asked by <see cref="PrepareUpdatesAsync"/>) for the caller to act on.</summary>
    public bool TryTakePending(out long questionId) => _pending.TryDequeue(out questionId);

    /// <summary>Asks pending questions from a few participants until the pool holds <paramref name="count"/>.</summary>
    public async Task PrepareUpdatesAsync(int count, int textLength, CancellationToken ct)
    {
        if (textLength != _textLength)
        {
            _pending.Clear();
            _textLength = textLength;
        }
        var missing = count - _pending.Count;
        if (missing <= 0)
        {
            return;
        }
        var text = QuestionText(textLength);
        var next = 0;
        await Task.WhenAll(_askers.Select(async asker =>
        {
            while (Interlocked.Increment(ref next) <= missing)
            {
                var q = await asker.OkAsync<QuestionLite>("AskQuestion", new AskQuestionRequest(SessionId, Guid.NewGuid().ToString("N"), text, null));
                _pending.Enqueue(q.Id);
            }
        }));
    }

    public static string QuestionText(int length)
    {
        const string sentence = "Bagaimana pemerintah kota memastikan data sensor lalu lintas terbuka untuk warga dan peneliti? ";
        return string.Concat(Enumerable.Repeat(sentence, length / sentence.Length + 1))[..length].Trim() + "?";
    }

    /// <summary>Even updates approve a pending question, odd ones put one on screen: two of the moderator's everyday actions.</summary>
    public async Task SendUpdateAsync(long seq, Delivery delivery)
    {
        if (!_pending.TryDequeue(out var questionId))
        {
            throw new InvalidOperationException("No pending question left to act on.");
        }
        var show = seq % 2 == 1;
        delivery.Sent(questionId * 2 + (show ? 1 : 0));
        var result = await _moderator.InvokeAsync<JsonElement>("ModerateQuestion",
            new ModerateQuestionRequest(SessionId, questionId, show ? "show" : "approve"));
        if (!result.Ok)
        {
            throw new InvalidOperationException($"ModerateQuestion: {result.Error?.Code}");
        }
        // The audience's delta is the question plus sessionId, version and onScreenQuestionId.
        PayloadBytes = result.Value.GetRawText().Length + """{"sessionId":2,"version":1234,"question":,"onScreenQuestionId":12345}""".Length;
    }

    public async Task<StalledClient> ConnectStalledAsync(CancellationToken ct)
    {
        using var http = new HttpClient();
        using var page = await http.GetAsync(_baseUri, ct);
        return await StalledClient.ConnectAsync(new Uri(_baseUri, "/hub"), LiveHubClient.CookieHeader(page),
            [("JoinEvent", [_settings.EventCode]), ("JoinSession", [SessionId, "audience"])], ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Many.DisposeAllAsync(_audience);
        await Many.DisposeAllAsync(_askers);
        await _moderator.DisposeAsync();
    }
}

public sealed class BaselineRoom : IRoom
{
    public const string Group = "room";
    private readonly Uri _baseUri;
    private readonly List<HubConnection> _audience = [];
    private HubConnection _broadcaster = null!;
    private string _pad = new('x', 400);

    private BaselineRoom(Uri baseUri, ServerProcess? server)
    {
        _baseUri = baseUri;
        Server = server;
    }

    public string Side => "baseline";
    public ServerProcess? Server { get; }
    public Uri BaseUri => _baseUri;
    public int Audience => _audience.Count;
    public Delivery? Current { get; set; }
    public HubConnection Broadcaster => _broadcaster;

    public static async Task<BaselineRoom> OpenAsync(Uri baseUri, ServerProcess? server, CancellationToken ct)
    {
        var room = new BaselineRoom(baseUri, server);
        room._broadcaster = await BaselineClient.ConnectAsync(baseUri, ct: ct);
        return room;
    }

    /// <summary>Pads the payload so its JSON is about <paramref name="bytes"/> long, like LiveHub's.</summary>
    public void MatchPayload(int bytes)
    {
        var overhead = JsonSerializer.Serialize(new BaselineMessage(long.MaxValue / 2, Stopwatch.GetTimestamp(), ""), JsonSerializerOptions.Web).Length;
        _pad = new string('x', Math.Max(0, bytes - overhead));
    }

    public BaselineMessage Message(long key) => new(key, Stopwatch.GetTimestamp(), _pad);

    public Task SetAudienceAsync(int total, CancellationToken ct) =>
        Many.ResizeAsync(_audience, total, async index =>
        {
            var c = await BaselineClient.ConnectAsync(_baseUri, h => h.On<PhoneUpdate>("Update", m => Current?.ReceivedStamped(index, m.SentAt)), ct);
            await c.InvokeAsync("Join", Group, ct);
            return c;
        });

    public Task PrepareUpdatesAsync(int count, int textLength, CancellationToken ct) => Task.CompletedTask;

    public Task SendUpdateAsync(long seq, Delivery delivery) => _broadcaster.InvokeAsync("Broadcast", Message(seq));

    public Task<StalledClient> ConnectStalledAsync(CancellationToken ct) =>
        StalledClient.ConnectAsync(new Uri(_baseUri, BaselineServer.HubPath), null, [("Join", [Group])], ct);

    public async ValueTask DisposeAsync()
    {
        await Many.DisposeAllAsync(_audience);
        await _broadcaster.DisposeAsync();
    }
}

// What the phones of either side bind each update to. Both are classes with settable properties, so System.Text.Json reads them in
// one pass and skips what they do not name. Positional records would make it buffer each object to call its constructor, and
// LiveHub's delta nests an object with a dozen more properties than the baseline's flat payload: its phones cost the client core
// several times as much per message, and that core, not the server, then decided the latency the bench reported.

/// <summary>A LiveHub audience delta as a phone in the bench reads it: the question's id, or the question on screen.</summary>
public sealed class PhoneQuestionDelta
{
    public PhoneQuestion? Question { get; set; }
    public long? OnScreenQuestionId { get; set; }
}

public sealed class PhoneQuestion
{
    public long Id { get; set; }
}

/// <summary>The baseline's update as a phone in the bench reads it: the send timestamp.</summary>
public sealed class PhoneUpdate
{
    public long SentAt { get; set; }
}
