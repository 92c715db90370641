using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace LiveHub.Tests.Infrastructure;

/// <summary>What a <see cref="FaultProxy"/> does with the traffic through it.</summary>
public enum FaultMode
{
    /// <summary>Forwards bytes both ways, like a working network.</summary>
    Pass,

    /// <summary>
    /// Silently eats everything: new connections are accepted and answered with nothing, open ones forward nothing either
    /// way, and nothing is closed. A connection caught in it stays dead after the mode goes back to <see cref="Pass"/>.
    /// </summary>
    Blackhole,

    /// <summary>Resets every open connection (both peers see RST) and resets every new one as soon as it is accepted.</summary>
    Reset,
}

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of one server address whose <see cref="Mode"/> a test switches at any time,
/// to show a client a network that works, silently drops packets, or resets connections; and whose <see cref="Latency"/>
/// makes a working network slow.
/// </summary>
/// <remarks>
/// A blackholed connection is dead for good, as behind an access point or NAT that lost its state during the outage:
/// its bytes are read and thrown away, and neither peer hears of it, even when the other peer closes. Only the client's
/// own timeouts end it, which is exactly what a test of those timeouts needs. Connections opened in <see cref="FaultMode.Pass"/>
/// after the outage forward normally.
/// </remarks>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly EndPoint _target;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Link> _links = [];
    private readonly Task _acceptLoop;
    private FaultMode _mode;
    private long _latencyTicks;
    private long _accepted;
    private long _bytesToServer;
    private long _bytesToClient;
    private long _bytesDropped;

    private FaultProxy(EndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>
    /// How long each chunk of bytes waits in the proxy before it is forwarded, in each direction (so a request and its answer
    /// take twice this). Order is kept; applies to bytes read from the moment it is set.
    /// </summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>Starts a proxy in <see cref="FaultMode.Pass"/> on a free port in front of <paramref name="target"/>.</summary>
    public static FaultProxy Start(EndPoint target) => new(target);

    /// <summary>Starts a proxy in front of the host and port of an address such as a test server's base URI.</summary>
    public static FaultProxy Start(Uri target) =>
        Start(IPAddress.TryParse(target.Host, out var ip) ? new IPEndPoint(ip, target.Port) : new DnsEndPoint(target.Host, target.Port));

    public int Port { get; }

    /// <summary>The proxy as an HTTP origin: http://127.0.0.1:{Port}/.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>Connections accepted so far, in every mode.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _accepted);

    /// <summary>Bytes forwarded from clients to the server.</summary>
    public long BytesToServer => Interlocked.Read(ref _bytesToServer);

    /// <summary>Bytes forwarded from the server to clients.</summary>
    public long BytesToClient => Interlocked.Read(ref _bytesToClient);

    /// <summary>Bytes read from either side of a blackholed connection and thrown away.</summary>
    public long BytesDropped => Interlocked.Read(ref _bytesDropped);

    /// <summary>Connections the proxy still holds open (on either side).</summary>
    public int OpenConnections
    {
        get
        {
            lock (_gate)
            {
                return _links.Count;
            }
        }
    }

    public FaultMode Mode
    {
        get
        {
            lock (_gate)
            {
                return _mode;
            }
        }
        set
        {
            // Under the same lock as accepting, so a connection is either caught by the switch or accepted in the new mode.
            lock (_gate)
            {
                _mode = value;
                foreach (var link in _links)
                {
                    if (value == FaultMode.Blackhole)
                    {
                        link.Kill();
                    }
                    else if (value == FaultMode.Reset)
                    {
                        link.Reset();
                    }
                }
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (_stopping.IsCancellationRequested &&
                e is OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
                // Stopped between two accepts: the listener says "not listening" rather than cancelled.
                return;
            }
            catch (SocketException)
            {
                // A client that gave up before it was accepted; the next one is unaffected.
                continue;
            }
            Interlocked.Increment(ref _accepted);
            lock (_gate)
            {
                var link = new Link(this, client);
                _links.Add(link);
                switch (_mode)
                {
                    case FaultMode.Reset:
                        link.Reset();
                        break;
                    case FaultMode.Blackhole:
                        link.Kill();
                        break;
                }
                link.Run = RunAsync(link);
            }
        }
    }

    private async Task RunAsync(Link link)
    {
        // Off the accept loop and the lock: the link's work starts on the thread pool.
        await Task.Yield();
        try
        {
            await link.RunAsync(_stopping.Token);
        }
        finally
        {
            link.Close();
            lock (_gate)
            {
                _links.Remove(link);
            }
        }
    }

    /// <summary>Stops listening, resets every connection and waits until all the proxy's work has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        // Reset first, so every connection ends with an RST rather than a FIN and one accepted meanwhile is reset too.
        Mode = FaultMode.Reset;
        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] running;
        lock (_gate)
        {
            running = _links.Select(l => l.Run).ToArray();
        }
        await Task.WhenAll(running);
        _stopping.Dispose();
    }

    /// <summary>One client connection and, unless it was dead from the start, its connection to the server.</summary>
    private sealed class Link(FaultProxy proxy, Socket client)
    {
        private readonly Lock _gate = new();
        private Socket? _server;
        private volatile bool _dead;
        private bool _reset;

        public Task Run { get; set; } = Task.CompletedTask;

        /// <summary>From now on nothing crosses; the sockets stay open.</summary>
        public void Kill() => _dead = true;

        /// <summary>Closes both sides abortively: linger 0 makes the close an RST instead of a FIN.</summary>
        public void Reset()
        {
            _dead = true;
            lock (_gate)
            {
                _reset = true;
                Abort(client);
                if (_server is not null)
                {
                    Abort(_server);
                }
            }
        }

        public void Close()
        {
            lock (_gate)
            {
                client.Dispose();
                _server?.Dispose();
            }
        }

        public async Task RunAsync(CancellationToken stopping)
        {
            if (_dead)
            {
                // Accepted in a blackhole: never reaches the server, and the client waits for an answer that will not come.
                await DrainAsync(client, stopping);
                return;
            }
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            lock (_gate)
            {
                if (_reset)
                {
                    server.Dispose();
                    return;
                }
                _server = server;
            }
            try
            {
                client.NoDelay = true;
                await server.ConnectAsync(proxy._target, stopping);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server refused or is gone: the client sees a reset, as it would connecting directly.
                Reset();
                return;
            }
            await Task.WhenAll(
                PumpAsync(client, server, toServer: true, stopping),
                PumpAsync(server, client, toServer: false, stopping));
        }

        private async Task PumpAsync(Socket from, Socket to, bool toServer, CancellationToken stopping)
        {
            // Chunks wait here until they are due, so latency delays them without reordering or blocking the reads.
            var due = Channel.CreateUnbounded<(byte[] Bytes, long Due)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var sending = SendDueAsync(due.Reader, to, toServer, stopping);
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var read = await from.ReceiveAsync(buffer, SocketFlags.None, stopping);
                    if (read == 0)
                    {
                        break;
                    }
                    if (_dead)
                    {
                        Interlocked.Add(ref proxy._bytesDropped, read);
                        continue;
                    }
                    due.Writer.TryWrite((buffer.AsSpan(0, read).ToArray(), Environment.TickCount64 + (long)proxy.Latency.TotalMilliseconds));
                }
                due.Writer.TryComplete();
                await sending;
                // A FIN crosses a live link. On a dead one the other peer hears nothing: when the server gives up, the
                // client's side stays open and silent until the client gives up too (and the other way round).
                if (!_dead)
                {
                    to.Shutdown(SocketShutdown.Send);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                due.Writer.TryComplete();
                // A reset from one peer reaches the other on a live link; on a dead one it is lost like everything else.
                if (!_dead)
                {
                    Reset();
                }
            }
            try
            {
                await sending;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        private async Task SendDueAsync(ChannelReader<(byte[] Bytes, long Due)> due, Socket to, bool toServer, CancellationToken stopping)
        {
            try
            {
                await foreach (var (bytes, at) in due.ReadAllAsync(stopping))
                {
                    var wait = at - Environment.TickCount64;
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(wait), stopping);
                    }
                    if (_dead)
                    {
                        Interlocked.Add(ref proxy._bytesDropped, bytes.Length);
                        continue;
                    }
                    await to.SendAsync(bytes, SocketFlags.None, stopping);
                    Interlocked.Add(ref toServer ? ref proxy._bytesToServer : ref proxy._bytesToClient, bytes.Length);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                if (!_dead)
                {
                    Reset();
                }
            }
        }

        private async Task DrainAsync(Socket socket, CancellationToken stopping)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, stopping)) > 0)
                {
                    Interlocked.Add(ref proxy._bytesDropped, read);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        private static void Abort(Socket socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            socket.Dispose();
        }
    }
}
