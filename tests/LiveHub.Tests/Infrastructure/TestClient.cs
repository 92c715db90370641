using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHub.Tests.Infrastructure;

/// <summary>
/// A browser stand-in: a cookie jar (participant identity, moderator sign-in), an HTTP client, and a SignalR .NET client
/// over WebSockets that records every event it receives.
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly string[] VersionedQuestionEvents =
    [
        nameof(ILiveClient.QuestionAsked), nameof(ILiveClient.QuestionApproved), nameof(ILiveClient.QuestionDismissed),
        nameof(ILiveClient.QuestionAnswered), nameof(ILiveClient.QuestionArchived), nameof(ILiveClient.QuestionRestored),
        nameof(ILiveClient.QuestionEdited), nameof(ILiveClient.QuestionOnScreenChanged), nameof(ILiveClient.QuestionReplied),
        nameof(ILiveClient.QuestionLabeled), nameof(ILiveClient.QuestionMerged),
    ];

    private static readonly string[] PollEvents =
    [
        nameof(ILiveClient.PollDrafted), nameof(ILiveClient.PollOpened), nameof(ILiveClient.PollClosed),
        nameof(ILiveClient.PollRevealed), nameof(ILiveClient.PollReset), nameof(ILiveClient.PollDeleted),
    ];

    private readonly Uri _baseUri;
    private readonly IRetryPolicy? _reconnect;

    private TestClient(Uri baseUri, CookieContainer cookies, HttpClient http, IRetryPolicy? reconnect)
    {
        _baseUri = baseUri;
        _reconnect = reconnect;
        Cookies = cookies;
        Http = http;
        Connection = Build();
    }

    /// <summary>The address this client talks to: a node, or the load balancer in front of several.</summary>
    public Uri BaseUri => _baseUri;

    public CookieContainer Cookies { get; }
    public HttpClient Http { get; }
    public HubConnection Connection { get; private set; }

    /// <summary>Every event received, in order: (event name, payload).</summary>
    public ConcurrentQueue<(string Name, object Payload)> Received { get; } = new();

    /// <summary>Raised for each event as it is received, in order, on the connection's receive loop (never call the hub from it).</summary>
    public event Action<string, object>? Arrived;

    /// <summary>Raised after the connection came back by itself or through <see cref="ReconnectAsync"/>: a page rejoins then.</summary>
    public event Action? Reconnected;

    public IEnumerable<QuestionDelta> QuestionDeltas => Received.Where(r => r.Payload is QuestionDelta).Select(r => (QuestionDelta)r.Payload);

    public IEnumerable<PollResults> ResultFrames => Received.Where(r => r.Payload is PollResults).Select(r => (PollResults)r.Payload);

    public IEnumerable<QuestionView> MyQuestionChanges => Received.Where(r => r.Name == nameof(ILiveClient.MyQuestionChanged)).Select(r => (QuestionView)r.Payload);

    public static Task<TestClient> ConnectAsync(LiveHubServer server, string? moderatorOf = null, string? moderatorName = null) =>
        ConnectAsync(server.BaseUri, moderatorOf, moderatorName);

    /// <summary>
    /// A client of any LiveHub address. Given <paramref name="cookies"/> it is the same person (or signed-in moderator) as the
    /// client those came from, wherever that one connected; given <paramref name="reconnect"/> SignalR reconnects by itself.
    /// </summary>
    public static async Task<TestClient> ConnectAsync(Uri baseUri, string? moderatorOf = null, string? moderatorName = null,
        CookieContainer? cookies = null, IRetryPolicy? reconnect = null)
    {
        cookies ??= new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = baseUri, Timeout = Timeout };
        // The first visit issues the participant cookie, as it does for a phone opening the page.
        using (var page = await http.GetAsync("/"))
        {
            page.EnsureSuccessStatusCode();
            Assert.Contains(cookies.GetCookies(baseUri), c => c.Name == LiveHub.Identity.CookieNames.Participant);
        }
        var client = new TestClient(baseUri, cookies, http, reconnect);
        if (moderatorOf is not null)
        {
            var response = await http.PostAsJsonAsync($"/api/events/{moderatorOf}/moderator/session", new { passcode = LiveHubServer.Passcode, name = moderatorName });
            response.EnsureSuccessStatusCode();
        }
        await client.Connection.StartAsync().WaitAsync(Timeout);
        return client;
    }

    /// <summary>Drops the connection and opens a new one with the same cookies: a phone coming back from sleep.</summary>
    public async Task ReconnectAsync()
    {
        await Connection.DisposeAsync();
        Connection = Build();
        await Connection.StartAsync().WaitAsync(Timeout);
        Reconnected?.Invoke();
    }

    public Task<HubResult<T>> InvokeAsync<T>(string method, params object?[] args) =>
        Connection.InvokeCoreAsync<HubResult<T>>(method, args).WaitAsync(Timeout);

    public async Task<SessionSnapshot> JoinAsync(long sessionId, string view = SessionViews.Audience)
    {
        var result = await InvokeAsync<SessionSnapshot>(nameof(EventHub.JoinSession), sessionId, view);
        Assert.True(result.Ok, result.Error?.Code);
        return result.Value!;
    }

    public async Task<QuestionView> AskAsync(long sessionId, string text, string? name = null, string? clientId = null)
    {
        var result = await InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion),
            new AskQuestionRequest(sessionId, clientId ?? Guid.NewGuid().ToString("N"), text, name));
        Assert.True(result.Ok, result.Error?.Code);
        return result.Value!;
    }

    public async Task<QuestionView> ModerateAsync(long sessionId, long questionId, string action)
    {
        var result = await InvokeAsync<QuestionView>(nameof(EventHub.ModerateQuestion), new ModerateQuestionRequest(sessionId, questionId, action));
        Assert.True(result.Ok, result.Error?.Code);
        return result.Value!;
    }

    public async Task<T> OkAsync<T>(string method, params object?[] args)
    {
        var result = await InvokeAsync<T>(method, args);
        Assert.True(result.Ok, $"{method}: {result.Error?.Code} {result.Error?.Message}");
        return result.Value!;
    }

    /// <summary>Polls until the condition holds; fails the test after the timeout. No fixed sleeps.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Polls until the function returns a value; fails after the timeout.</summary>
    public static async Task<T> EventuallyValueAsync<T>(Func<T?> read, TimeSpan? timeout = null) where T : class
    {
        T? value = null;
        await EventuallyAsync(() => (value = read()) is not null, $"a {typeof(T).Name} arrives", timeout);
        return value!;
    }

    private HubConnection Build()
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(_baseUri, "/hub"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.Cookies = Cookies;
            });
        if (_reconnect is not null)
        {
            builder.WithAutomaticReconnect(_reconnect);
        }
        var connection = builder.Build();
        connection.Reconnected += _ =>
        {
            Reconnected?.Invoke();
            return Task.CompletedTask;
        };
        foreach (var name in VersionedQuestionEvents)
        {
            connection.On<QuestionDelta>(name, d => Record(name, d));
        }
        connection.On<UpvotesDelta>(nameof(ILiveClient.UpvotesChanged), d => Record(nameof(ILiveClient.UpvotesChanged), d));
        connection.On<SessionModeDelta>(nameof(ILiveClient.ModerationModeChanged), d => Record(nameof(ILiveClient.ModerationModeChanged), d));
        connection.On<QuestionView>(nameof(ILiveClient.MyQuestionChanged), q => Record(nameof(ILiveClient.MyQuestionChanged), q));
        foreach (var name in PollEvents)
        {
            connection.On<PollDelta>(name, d => Record(name, d));
        }
        connection.On<PollResults>(nameof(ILiveClient.PollResultsChanged), r => Record(nameof(ILiveClient.PollResultsChanged), r));
        connection.On<MyVote>(nameof(ILiveClient.MyVoteChanged), v => Record(nameof(ILiveClient.MyVoteChanged), v));
        connection.On<ProjectorDelta>(nameof(ILiveClient.ProjectorChanged), d => Record(nameof(ILiveClient.ProjectorChanged), d));
        connection.On<SessionView>(nameof(ILiveClient.SessionStatusChanged), v => Record(nameof(ILiveClient.SessionStatusChanged), v));
        connection.On<LiveHub.Announcements.AnnouncementView>(nameof(ILiveClient.AnnouncementPosted), a => Record(nameof(ILiveClient.AnnouncementPosted), a));
        connection.On<LiveHub.Announcements.AnnouncementView>(nameof(ILiveClient.AnnouncementDeleted), a => Record(nameof(ILiveClient.AnnouncementDeleted), a));
        connection.On<LiveHub.Reactions.ReactionsDelta>(nameof(ILiveClient.ReactionsSent), r => Record(nameof(ILiveClient.ReactionsSent), r));
        connection.On<PresenceDelta>(nameof(ILiveClient.PresenceChanged), p => Record(nameof(ILiveClient.PresenceChanged), p));
        connection.On<SessionVersionNotice>(nameof(ILiveClient.SessionVersionAnnounced), n => Record(nameof(ILiveClient.SessionVersionAnnounced), n));
        connection.On<EventDeletedNotice>(nameof(ILiveClient.EventDeleted), n => Record(nameof(ILiveClient.EventDeleted), n));
        return connection;
    }

    private void Record(string name, object payload)
    {
        Received.Enqueue((name, payload));
        Arrived?.Invoke(name, payload);
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        Http.Dispose();
    }
}
