using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Faults;

/// <summary>
/// The hub spoken by hand over a WebSocket (SignalR's JSON protocol, as the pages speak it), to send what no SignalR client
/// would: broken JSON, deep nesting, oversized frames.
/// </summary>
public sealed class RawHub : IAsyncDisposable
{
    private const char Separator = '\u001e';
    private readonly ClientWebSocket _socket;
    private readonly StringBuilder _pending = new();

    private RawHub(ClientWebSocket socket) => _socket = socket;

    public WebSocketState State => _socket.State;

    /// <summary>Every record received but pings, in order: events as well as completions.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Records { get; } = new();

    /// <summary>
    /// A phone's connection: its participant cookie from the start page, then the hub and the protocol handshake. Given
    /// <paramref name="cookies"/> (a moderator's sign-in, say), it connects with those.
    /// </summary>
    public static async Task<RawHub> ConnectAsync(LiveHubServer server, CookieContainer? cookies = null)
    {
        cookies ??= new CookieContainer();
        using (var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.BaseUri })
        {
            (await http.GetAsync("/")).EnsureSuccessStatusCode();
        }
        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        await socket.ConnectAsync(new UriBuilder(server.BaseUri) { Scheme = "ws", Path = "/hub" }.Uri, CancellationToken.None).WaitAsync(TestClient.Timeout);
        var hub = new RawHub(socket);
        await hub.SendAsync("""{"protocol":"json","version":1}""");
        Assert.Equal("{}", await hub.ReceiveAsync());
        return hub;
    }

    /// <summary>Sends one record (the separator is added).</summary>
    public Task SendAsync(string record) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(record + Separator), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TestClient.Timeout);

    /// <summary>Invokes a hub method with raw JSON arguments and returns its completion, or null when the connection closed instead.</summary>
    public async Task<JsonObject?> InvokeAsync(string id, string target, string argumentsJson)
    {
        await SendAsync($$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":{{argumentsJson}}}""");
        return await CompletionAsync(id);
    }

    /// <summary>The completion of invocation <paramref name="id"/>; null when the server closed the connection first.</summary>
    public async Task<JsonObject?> CompletionAsync(string id)
    {
        while (await ReceiveAsync() is { } record)
        {
            if (JsonNode.Parse(record) is JsonObject message && (int?)message["type"] == 3 && (string?)message["invocationId"] == id)
            {
                return message;
            }
        }
        return null;
    }

    /// <summary>
    /// The first event (type 1) that matches, among those received so far or arriving next; null when the connection closed
    /// first.
    /// </summary>
    public async Task<JsonObject?> EventAsync(Func<JsonObject, bool> match)
    {
        bool Matches(string record) => JsonNode.Parse(record) is JsonObject message && (int?)message["type"] == 1 && match(message);
        if (Records.FirstOrDefault(Matches) is { } seen)
        {
            return JsonNode.Parse(seen)!.AsObject();
        }
        while (await ReceiveAsync() is { } record)
        {
            if (Matches(record))
            {
                return JsonNode.Parse(record)!.AsObject();
            }
        }
        return null;
    }

    /// <summary>The server's close message (type 7) if it sent one before closing, else null; waits for the close.</summary>
    public async Task<JsonObject?> ClosedAsync()
    {
        JsonObject? close = null;
        while (await ReceiveAsync() is { } record)
        {
            if (JsonNode.Parse(record) is JsonObject { } message && (int?)message["type"] == 7)
            {
                close = message;
            }
        }
        return close;
    }

    /// <summary>The next record other than a ping; null once the connection is closed.</summary>
    public async Task<string?> ReceiveAsync()
    {
        var deadline = DateTime.UtcNow + TestClient.Timeout;
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf(Separator);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                var record = text[..end];
                if (record.Contains("\"type\":6", StringComparison.Ordinal))
                {
                    // The server's pings come every few seconds: they must not keep a wait for a record alive for ever.
                    if (DateTime.UtcNow > deadline)
                    {
                        throw new TimeoutException("Only pings arrived.");
                    }
                    continue;
                }
                Records.Enqueue(record);
                return record;
            }
            if (_socket.State != WebSocketState.Open)
            {
                return null;
            }
            try
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestClient.Timeout);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                _pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
            catch (WebSocketException)
            {
                return null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException)
            {
            }
        }
        _socket.Dispose();
    }
}
