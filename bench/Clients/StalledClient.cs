using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace LiveHub.Bench.Clients;

/// <summary>
/// A phone that stops reading: a raw SignalR JSON-protocol WebSocket with a 4 KiB receive buffer that joins the session, then never
/// reads again. It keeps sending pings, so the server keeps it (it is alive, just not draining its socket).
/// </summary>
public sealed class StalledClient : IAsyncDisposable
{
    private const char Separator = '\u001e';
    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private Task? _pings;

    private StalledClient(ClientWebSocket socket, Func<int> localPort)
    {
        _socket = socket;
        _localPort = localPort;
    }

    private readonly Func<int> _localPort;

    /// <summary>The client's end of the TCP connection, to find the server's end in <c>ss</c>.</summary>
    public int LocalPort => _localPort();

    /// <summary>Whether a ping failed because the connection was gone (the server closed it).</summary>
    public bool Closed { get; private set; }

    /// <summary>Connects and runs <paramref name="invocations"/> (target, arguments) in order, reading their completions, then stops reading.</summary>
    public static async Task<StalledClient> ConnectAsync(Uri hubUri, string? cookieHeader, IEnumerable<(string Target, object?[] Args)> invocations, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        if (cookieHeader is not null)
        {
            socket.Options.SetRequestHeader("Cookie", cookieHeader);
        }
        var port = 0;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var s = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
                await s.ConnectAsync(context.DnsEndPoint, token);
                port = ((System.Net.IPEndPoint)s.LocalEndPoint!).Port;
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        var ws = new UriBuilder(hubUri) { Scheme = hubUri.Scheme == "https" ? "wss" : "ws" }.Uri;
        await socket.ConnectAsync(ws, new HttpMessageInvoker(handler), ct);
        var client = new StalledClient(socket, () => port);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}", ct);
        await client.ReadUntilAsync(_ => true, ct);
        var id = 0;
        foreach (var (target, args) in invocations)
        {
            var invocationId = (++id).ToString();
            await client.SendAsync(System.Text.Json.JsonSerializer.Serialize(new { type = 1, invocationId, target, arguments = args },
                new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)), ct);
            await client.ReadUntilAsync(m => m.Contains("\"type\":3") && m.Contains($"\"invocationId\":\"{invocationId}\""), ct);
        }
        client._pings = client.PingAsync();
        return client;
    }

    private async Task PingAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), _stop.Token);
                await SendAsync("{\"type\":6}", _stop.Token);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested || _socket.State != WebSocketState.Open)
        {
            Closed = !_stop.IsCancellationRequested;
        }
    }

    private Task SendAsync(string json, CancellationToken ct) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + Separator), WebSocketMessageType.Text, true, ct);

    private async Task ReadUntilAsync(Func<string, bool> done, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        while (true)
        {
            var r = await _socket.ReceiveAsync(buffer, ct);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The server closed the stalled client's socket while it was joining.");
            }
            text.Append(Encoding.UTF8.GetString(buffer, 0, r.Count));
            var s = text.ToString();
            var last = s.LastIndexOf(Separator);
            if (last < 0)
            {
                continue;
            }
            if (s[..last].Split(Separator).Any(done))
            {
                return;
            }
            text.Clear().Append(s[(last + 1)..]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_pings is not null)
        {
            await _pings;
        }
        _socket.Abort();
        _socket.Dispose();
    }
}
