using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHub.Bench.Clients;

/// <summary>
/// A phone, projector or moderator as LiveHub sees it: a participant cookie from <c>GET /</c> (and the moderator cookie from
/// signing in), then the hub over WebSockets with skip negotiation, carrying the cookies in the handshake.
/// </summary>
public sealed class LiveHubClient : IAsyncDisposable
{
    // One HTTP client for every cookie request: the cookies are read from Set-Cookie, so no idle keep-alive socket stays per phone.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 64 })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private LiveHubClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    public static async Task<LiveHubClient> ConnectAsync(Uri baseUri, Action<HubConnection>? handlers = null,
        string? moderatorOf = null, string? passcode = null, CancellationToken ct = default)
    {
        var cookies = new List<string>();
        using (var page = await Http.GetAsync(baseUri, HttpCompletionOption.ResponseHeadersRead, ct))
        {
            cookies.AddRange(CookiesOf(page));
        }
        if (cookies.Count == 0)
        {
            throw new InvalidOperationException($"{baseUri} gave no participant cookie");
        }
        if (moderatorOf is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, $"/api/events/{moderatorOf}/moderator/session"))
            {
                Content = JsonContent.Create(new { passcode, name = "Bench" }),
            };
            request.Headers.Add("Cookie", string.Join("; ", cookies));
            using var response = await Http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Moderator sign-in failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
            cookies.AddRange(CookiesOf(response));
        }
        var cookieHeader = string.Join("; ", cookies);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "/hub"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.Headers["Cookie"] = cookieHeader;
            })
            .Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(120);
        handlers?.Invoke(connection);
        await connection.StartAsync(ct);
        return new LiveHubClient(connection);
    }

    public static string CookieHeader(HttpResponseMessage response) => string.Join("; ", CookiesOf(response));

    private static IEnumerable<string> CookiesOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];

    /// <summary>Calls a hub method and unwraps its <c>HubResult</c>; a failed result throws with its code.</summary>
    public async Task<T> OkAsync<T>(string method, params object?[] args)
    {
        var result = await Connection.InvokeCoreAsync<HubResult<T>>(method, args);
        if (!result.Ok)
        {
            throw new InvalidOperationException($"{method}: {result.Error?.Code} {result.Error?.Message}");
        }
        return result.Value!;
    }

    public Task<HubResult<T>> InvokeAsync<T>(string method, params object?[] args) =>
        Connection.InvokeCoreAsync<HubResult<T>>(method, args);

    /// <summary>Joins the event and one of its sessions, as every page does after it connects.</summary>
    public async Task<EventLite> JoinAsync(string eventCode, long? sessionId, string view = "audience")
    {
        var e = await OkAsync<EventLite>("JoinEvent", eventCode);
        if (sessionId is { } id)
        {
            await OkAsync<SessionSnapshotLite>("JoinSession", id, view);
        }
        return e;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

/// <summary>A client of the baseline hub: the same transport and protocol, no cookies.</summary>
public static class BaselineClient
{
    public static async Task<HubConnection> ConnectAsync(Uri baseUri, Action<HubConnection>? handlers = null, CancellationToken ct = default)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, Servers.BaselineServer.HubPath), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(120);
        handlers?.Invoke(connection);
        await connection.StartAsync(ct);
        return connection;
    }
}

/// <summary>Opens many connections at once, a bounded number in flight, so thousands open in seconds rather than minutes.</summary>
public static class Many
{
    public static async Task<List<T>> OpenAsync<T>(int count, int parallel, Func<int, Task<T>> open)
    {
        var results = new T[count];
        using var gate = new SemaphoreSlim(parallel);
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                // One retry: a burst of handshakes on one core occasionally times out.
                try
                {
                    results[i] = await open(i);
                }
                catch (Exception) when (!Environment.HasShutdownStarted)
                {
                    await Task.Delay(200);
                    results[i] = await open(i);
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);
        return [.. results];
    }

    /// <summary>
    /// Grows <paramref name="items"/> to <paramref name="total"/> (opening 32 at a time; <paramref name="open"/> gets each new
    /// item's index in the list) or shrinks it, disposing the ones past the end.
    /// </summary>
    public static async Task ResizeAsync<T>(List<T> items, int total, Func<int, Task<T>> open) where T : IAsyncDisposable
    {
        if (total < items.Count)
        {
            var extra = items.GetRange(total, items.Count - total);
            items.RemoveRange(total, extra.Count);
            await DisposeAllAsync(extra);
            return;
        }
        var first = items.Count;
        items.AddRange(await OpenAsync(total - first, 32, i => open(first + i)));
    }

    public static async Task DisposeAllAsync<T>(IEnumerable<T> items) where T : IAsyncDisposable
    {
        foreach (var chunk in items.Chunk(200))
        {
            await Task.WhenAll(chunk.Select(async c =>
            {
                try
                {
                    await c.DisposeAsync();
                }
                catch (Exception)
                {
                    // A connection the server already dropped.
                }
            }));
        }
    }
}
