using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LiveHub.Tests.Infrastructure;

public sealed class FaultProxyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task InPassBytesCrossBothWaysAndAreCounted()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.EndPoint);

        using var client = await ConnectAsync(proxy);
        Assert.Equal("hello", await RoundTripAsync(client, "hello"));

        Assert.Equal(1, proxy.ConnectionsAccepted);
        Assert.Equal(5, proxy.BytesToServer);
        Assert.Equal(5, proxy.BytesToClient);
        Assert.Equal(0, proxy.BytesDropped);
    }

    [Fact]
    public async Task AClientThatClosesIsSeenByTheServerAndTheProxyLetsGoOfBothSides()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.EndPoint);

        var client = await ConnectAsync(proxy);
        await RoundTripAsync(client, "bye");
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await ReceiveAsync(client).WaitAsync(Timeout));
        client.Dispose();

        await TestClient.EventuallyAsync(() => echo.Closed == 1, "the server sees the client close");
        await TestClient.EventuallyAsync(() => proxy.OpenConnections == 0, "the proxy lets go of the connection");
    }

    [Fact]
    public async Task ABlackholeSwallowsTheBytesOfAnOpenConnectionWithoutClosingIt()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.EndPoint);
        using var client = await ConnectAsync(proxy);
        await RoundTripAsync(client, "before");

        proxy.Mode = FaultMode.Blackhole;
        var reply = ReceiveAsync(client);
        await SendAsync(client, "lost");

        await TestClient.EventuallyAsync(() => proxy.BytesDropped == 4, "the proxy swallows the bytes");
        Assert.Equal(6, echo.BytesReceived);
        Assert.False(reply.IsCompleted, "nothing comes back, not even a close");
        Assert.Equal(1, proxy.OpenConnections);
        Assert.Equal(0, echo.Closed);
    }

    [Fact]
    public async Task ABlackholeAcceptsNewConnectionsButNeverReachesTheServer()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.EndPoint);
        proxy.Mode = FaultMode.Blackhole;

        using var client = await ConnectAsync(proxy);
        var reply = ReceiveAsync(client);
        await SendAsync(client, "GET / HTTP/1.1\r\n\r\n");

        await TestClient.EventuallyAsync(() => proxy.BytesDropped == 18, "the proxy swallows the request");
        Assert.Equal(1, proxy.ConnectionsAccepted);
        Assert.Equal(0, echo.Accepted);
        Assert.False(reply.IsCompleted, "no answer and no close");
    }

    [Fact]
    public async Task BackInPassABlackholedConnectionStaysDeadWhileNewConnectionsWork()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.EndPoint);
        using var old = await ConnectAsync(proxy);
        await RoundTripAsync(old, "one");

        proxy.Mode = FaultMode.Blackhole;
        var reply = ReceiveAsync(old);
        await SendAsync(old, "two");
        await TestClient.EventuallyAsync(() => proxy.BytesDropped == 3, "the outage swallows the bytes");
        proxy.Mode = FaultMode.Pass;
        await SendAsync(old, "three");
        await TestClient.EventuallyAsync(() => proxy.BytesDropped == 8, "the dead connection still swallows bytes after the outage");

        using var fresh = await ConnectAsync(proxy);
        Assert.Equal("four", await RoundTripAsync(fresh, "four"));
        Assert.False(reply.IsCompleted, "the old connection heard nothing");
        Assert.Equal(3 + 4, echo.BytesReceived);
    }

    [Fact]
    public async Task TheClientOfADeadConnectionDoesNotHearTheServerGiveUp()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.EndPoint);
        using var client = await ConnectAsync(proxy);
        await RoundTripAsync(client, "hi");

        proxy.Mode = FaultMode.Blackhole;
        var reply = ReceiveAsync(client);
        echo.CloseAll();
        await TestClient.EventuallyAsync(() => echo.Closed == 1, "the server closes its side");
        proxy.Mode = FaultMode.Pass;
        await SendAsync(client, "anyone?");

        await TestClient.EventuallyAsync(() => proxy.BytesDropped == 7, "the proxy still reads the client's side");
        Assert.False(reply.IsCompleted, "the client learns nothing of the close");
    }

    [Fact]
    public async Task ResetAbortsOpenConnectionsOnBothSidesAndNewOnesAtOnce()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.EndPoint);
        using var client = await ConnectAsync(proxy);
        await RoundTripAsync(client, "hi");
        var reply = ReceiveAsync(client);

        proxy.Mode = FaultMode.Reset;

        var error = await Assert.ThrowsAsync<SocketException>(() => reply.WaitAsync(Timeout));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        await TestClient.EventuallyAsync(() => echo.Resets == 1, "the server sees a reset too");

        // The reset can beat the end of the client's connect: seen there or on the first read, it is the same RST.
        error = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var late = await ConnectAsync(proxy);
            await ReceiveAsync(late).WaitAsync(Timeout);
        });
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        Assert.Equal(2, proxy.ConnectionsAccepted);
        Assert.Equal(1, echo.Accepted);
        await TestClient.EventuallyAsync(() => proxy.OpenConnections == 0, "reset connections are let go");
    }

    [Fact]
    public async Task ResetEndsADeadConnectionAndPassWorksAgainAfterIt()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.EndPoint);
        using var client = await ConnectAsync(proxy);
        proxy.Mode = FaultMode.Blackhole;
        var reply = ReceiveAsync(client);

        proxy.Mode = FaultMode.Reset;
        await Assert.ThrowsAsync<SocketException>(() => reply.WaitAsync(Timeout));
        proxy.Mode = FaultMode.Pass;

        using var fresh = await ConnectAsync(proxy);
        Assert.Equal("again", await RoundTripAsync(fresh, "again"));
    }

    [Fact]
    public async Task AServerThatIsNotListeningLooksLikeAResetToTheClient()
    {
        using var unused = new TcpListener(IPAddress.Loopback, 0);
        unused.Start();
        var closedPort = (IPEndPoint)unused.LocalEndpoint;
        unused.Stop();
        await using var proxy = FaultProxy.Start(closedPort);

        var error = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var client = await ConnectAsync(proxy);
            await ReceiveAsync(client).WaitAsync(Timeout);
        });
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    }

    [Fact]
    public async Task DisposeStopsListeningAndClosesEveryConnectionWhateverItsState()
    {
        await using var echo = EchoServer.Start();
        var proxy = FaultProxy.Start(echo.EndPoint);
        using var live = await ConnectAsync(proxy);
        await RoundTripAsync(live, "live");
        using var dead = await ConnectAsync(proxy);
        await RoundTripAsync(dead, "dead");
        proxy.Mode = FaultMode.Blackhole;
        using var neverForwarded = await ConnectAsync(proxy);
        await TestClient.EventuallyAsync(() => proxy.OpenConnections == 3, "the proxy holds three connections");
        proxy.Mode = FaultMode.Pass;

        await proxy.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.Equal(0, proxy.OpenConnections);
        foreach (var socket in new[] { live, dead, neverForwarded })
        {
            await Assert.ThrowsAsync<SocketException>(() => ReceiveAsync(socket).WaitAsync(Timeout));
        }
        await TestClient.EventuallyAsync(() => echo.Resets == 2, "the server's two connections are closed");
        using var after = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => after.ConnectAsync(IPAddress.Loopback, proxy.Port).WaitAsync(Timeout));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task WithLatencyEveryByteArrivesLateInOrderAndUnchanged()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.EndPoint);
        using var client = await ConnectAsync(proxy);
        Assert.Equal("fast", await RoundTripAsync(client, "fast"));

        proxy.Latency = TimeSpan.FromMilliseconds(300);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await SendAsync(client, "one-");
        await SendAsync(client, "two-");
        await SendAsync(client, "three");
        Assert.Equal("one-two-three", await ReceiveTextAsync(client, "one-two-three".Length));
        var slow = clock.Elapsed;

        proxy.Latency = TimeSpan.Zero;
        clock.Restart();
        Assert.Equal("again", await RoundTripAsync(client, "again"));

        // 300 ms on the way to the server and 300 ms back.
        Assert.InRange(slow, TimeSpan.FromMilliseconds(580), TimeSpan.FromSeconds(3));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(300), $"without latency the round trip took {clock.Elapsed}");
    }

    private static async Task<Socket> ConnectAsync(FaultProxy proxy)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, proxy.Port).WaitAsync(Timeout);
        return socket;
    }

    /// <summary>The next read on the socket: how many bytes, 0 for a FIN, an exception for a reset.</summary>
    private static Task<int> ReceiveAsync(Socket socket) => socket.ReceiveAsync(new byte[64], SocketFlags.None, CancellationToken.None).AsTask();

    private static async Task SendAsync(Socket socket, string text) =>
        await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, CancellationToken.None).AsTask().WaitAsync(Timeout);

    private static async Task<string> RoundTripAsync(Socket socket, string text)
    {
        await SendAsync(socket, text);
        return await ReceiveTextAsync(socket, text.Length);
    }

    private static async Task<string> ReceiveTextAsync(Socket socket, int length)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, CancellationToken.None).AsTask().WaitAsync(Timeout);
            Assert.NotEqual(0, n);
            read += n;
        }
        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Echoes every byte back and counts what it sees: connections, bytes, clean closes and resets.</summary>
    private sealed class EchoServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stopping = new();
        private readonly List<Socket> _sockets = [];
        private readonly List<Task> _running = [];
        private Task _acceptLoop = Task.CompletedTask;
        private int _accepted;
        private int _closed;
        private int _resets;
        private long _bytes;

        public static EchoServer Start()
        {
            var server = new EchoServer();
            server._listener.Start();
            server._acceptLoop = server.AcceptLoopAsync();
            return server;
        }

        public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;
        public int Accepted => Volatile.Read(ref _accepted);
        public int Closed => Volatile.Read(ref _closed);
        public int Resets => Volatile.Read(ref _resets);
        public long BytesReceived => Interlocked.Read(ref _bytes);

        /// <summary>Closes every connection from the server's side (a FIN, as a server timing out a client does).</summary>
        public void CloseAll()
        {
            lock (_sockets)
            {
                foreach (var socket in _sockets)
                {
                    socket.Shutdown(SocketShutdown.Both);
                }
            }
        }

        private async Task AcceptLoopAsync()
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stopping.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                Interlocked.Increment(ref _accepted);
                lock (_sockets)
                {
                    _sockets.Add(socket);
                    _running.Add(EchoAsync(socket));
                }
            }
        }

        private async Task EchoAsync(Socket socket)
        {
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token)) > 0)
                {
                    Interlocked.Add(ref _bytes, read);
                    await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
                }
                // The client finished: finish too, as a server does at the end of a conversation.
                socket.Shutdown(SocketShutdown.Send);
                Interlocked.Increment(ref _closed);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                Interlocked.Increment(ref _resets);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            _listener.Stop();
            await _acceptLoop;
            Task[] running;
            lock (_sockets)
            {
                _sockets.ForEach(s => s.Dispose());
                running = [.. _running];
            }
            await Task.WhenAll(running);
            _stopping.Dispose();
        }
    }
}
