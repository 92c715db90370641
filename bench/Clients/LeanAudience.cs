using System.Net;
using System.Net.Sockets;
using LiveHub.Bench.Measure;

namespace LiveHub.Bench.Clients;

/// <summary>Reads one invocation record (<c>{"type":1,"target":…}</c>) that reached a phone.</summary>
public delegate void RecordReader(LeanPhone phone, ReadOnlySpan<byte> record);

/// <summary>
/// A pool of <see cref="LeanPhone"/>s on one hub: opens them in batches of <see cref="Batch"/>, keeps them alive with a ping when
/// one has sent nothing for 15 s, and hands every update they read to <see cref="Current"/>.
/// </summary>
/// <remarks>
/// Every phone is one socket and one open file in this process (and one in the server): with the 20,000 open files a process
/// may hold here (<c>ulimit -n</c>), pools stay under about 19,000 phones. Connections leave from 127.0.0.1; when the kernel has
/// no ephemeral port left for it (EADDRNOTAVAIL / EADDRINUSE), the pool moves on to 127.0.0.2, 127.0.0.3 and so on (the whole
/// 127.0.0.0/8 answers on Linux), binding each socket to its source address before it connects.
/// </remarks>
public sealed class LeanAudience : IAsyncDisposable
{
    public const int Batch = 200;
    private const int MaxSourceAddresses = 250;
    private static readonly byte[] TargetPrefix = "{\"type\":1,\"target\":\""u8.ToArray();

    // Cookies come from GET /health/live over a few kept-alive connections; Set-Cookie is read by hand.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 32 })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private readonly List<LeanPhone> _phones = [];
    private readonly Uri? _cookieUri;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pings;
    private readonly int _spread;
    private readonly int[] _connectsFrom = new int[256];
    private int _sourceAddress = 1;
    private long _connects;
    private long _dropped;
    private long _joined;
    public long JoinRetries;

    private LeanAudience(Uri hubUri, Uri? cookieUri, IReadOnlyList<(string Target, string Arguments)> joins, RecordReader reader, int spread)
    {
        _spread = Math.Clamp(spread, 1, MaxSourceAddresses);
        HubUri = new UriBuilder(hubUri) { Scheme = hubUri.Scheme == "https" ? "wss" : "ws" }.Uri;
        _cookieUri = cookieUri;
        Joins = joins;
        Reader = reader;
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = ConnectAsync, UseCookies = false });
        _pings = PingLoopAsync();
    }

    public Uri HubUri { get; }
    public HttpMessageInvoker Invoker { get; }
    public IReadOnlyList<(string Target, string Arguments)> Joins { get; }
    public RecordReader Reader { get; }

    /// <summary>Reads each completion a phone's call received (a join's snapshot, say), after the caller's own check.</summary>
    public RecordReader? CompletionReader { get; set; }

    /// <summary>The measurement updates go to now, if any.</summary>
    public Delivery? Current { get; set; }

    public int Count => _phones.Count;

    /// <summary>Phones whose connection the server closed (or that failed) while they were in the pool.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>How many loopback source addresses hub connections have left from (1 unless spread, or until 127.0.0.1 ran out of ports).</summary>
    public int SourceAddresses => _connectsFrom.Count(n => n > 0);

    /// <summary>Phones that completed their joins since the pool was made (reconnections included).</summary>
    public long Joined => Interlocked.Read(ref _joined);

    /// <summary>The phone at <paramref name="index"/> (the one that replaced it, after a reconnection).</summary>
    public LeanPhone this[int index]
    {
        get
        {
            lock (_phones)
            {
                return _phones[index];
            }
        }
    }

    /// <summary>LiveHub's audience: a participant cookie each, <c>JoinEvent(code)</c>, <c>JoinSession(sessionId, "audience")</c>.</summary>
    /// <remarks>
    /// <paramref name="spread"/> &gt; 1 spreads the connections over that many source addresses from the start;
    /// <paramref name="reader"/> replaces the capacity ramp's reader (the question's id) with a scenario's own.
    /// </remarks>
    public static LeanAudience ForLiveHub(Uri baseUri, string eventCode, long sessionId, int spread = 1, RecordReader? reader = null) => new(
        new Uri(baseUri, "/hub"), new Uri(baseUri, "/health/live"),
        [("JoinEvent", $"[\"{eventCode}\"]"), ("JoinSession", $"[{sessionId},\"audience\"]")], reader ?? ReadLiveHub, spread);

    /// <summary>The baseline hub's audience: no cookie, <c>Join(group)</c>.</summary>
    public static LeanAudience ForBaseline(Uri baseUri, string hubPath, string group, int spread = 1) => new(
        new Uri(baseUri, hubPath), null, [("Join", $"[\"{group}\"]")], ReadBaseline, spread);

    /// <summary>
    /// LiveHub's updates carry the question: <c>QuestionApproved</c> is keyed by the question's id (even keys),
    /// <c>QuestionOnScreenChanged</c> by the question put on screen (odd keys), as the moderator's side recorded them.
    /// </summary>
    private static void ReadLiveHub(LeanPhone phone, ReadOnlySpan<byte> record)
    {
        var pool = phone.Pool;
        if (pool.Current is not { } delivery)
        {
            return;
        }
        var target = Target(record);
        if (target.SequenceEqual("QuestionApproved"u8))
        {
            if (LeanPhone.NumberAfter(record, "\"question\":{\"id\":"u8) is { } id)
            {
                delivery.Received(phone.Index, id * 2);
            }
        }
        else if (target.SequenceEqual("QuestionOnScreenChanged"u8))
        {
            if (LeanPhone.NumberAfterLast(record, "\"onScreenQuestionId\":"u8) is { } id)
            {
                delivery.Received(phone.Index, id * 2 + 1);
            }
        }
    }

    /// <summary>The baseline's <c>Update</c> carries its send timestamp (<c>sentAt</c>, the bench's own clock).</summary>
    private static void ReadBaseline(LeanPhone phone, ReadOnlySpan<byte> record)
    {
        if (phone.Pool.Current is { } delivery && Target(record).SequenceEqual("Update"u8)
            && LeanPhone.NumberAfter(record, "\"sentAt\":"u8) is { } sentAt)
        {
            delivery.ReceivedStamped(phone.Index, sentAt);
        }
    }

    /// <summary>The <c>target</c> of an invocation record, as SignalR's JSON protocol writes it first after the type.</summary>
    public static ReadOnlySpan<byte> Target(ReadOnlySpan<byte> record)
    {
        if (!record.StartsWith(TargetPrefix))
        {
            return [];
        }
        var rest = record[TargetPrefix.Length..];
        var end = rest.IndexOf((byte)'"');
        return end < 0 ? [] : rest[..end];
    }

    /// <summary>
    /// Grows the pool to <paramref name="total"/> phones, <paramref name="window"/> (default <see cref="Batch"/>) connecting at any
    /// one time (a new one starts as soon as one is joined), or shrinks it.
    /// </summary>
    public async Task ResizeAsync(int total, CancellationToken ct, int window = Batch)
    {
        if (total < _phones.Count)
        {
            List<LeanPhone> extra;
            lock (_phones)
            {
                extra = _phones.GetRange(total, _phones.Count - total);
                _phones.RemoveRange(total, extra.Count);
            }
            foreach (var phone in extra)
            {
                phone.Abort();
            }
            return;
        }
        var first = _phones.Count;
        var opened = new LeanPhone[total - first];
        await Parallel.ForEachAsync(Enumerable.Range(0, opened.Length), new ParallelOptions { MaxDegreeOfParallelism = window, CancellationToken = ct },
            async (k, c) => opened[k] = await OpenAsync(first + k, null, c));
        lock (_phones)
        {
            _phones.AddRange(opened);
        }
    }

    /// <summary>Drops every phone's connection at once, as a venue's Wi-Fi does; the pool keeps their places and cookies.</summary>
    public void AbortAll()
    {
        lock (_phones)
        {
            foreach (var phone in _phones)
            {
                phone.Abort();
            }
        }
    }

    /// <summary>Reconnects every phone with its own cookie, <paramref name="window"/> at a time, and joins again.</summary>
    public Task ReconnectAllAsync(int window, CancellationToken ct) =>
        Parallel.ForEachAsync(Enumerable.Range(0, Count), new ParallelOptions { MaxDegreeOfParallelism = window, CancellationToken = ct },
            async (i, c) => await ReconnectAsync(i, c));

    /// <summary>Drops phone <paramref name="index"/> (if still connected) and connects it again with its cookie.</summary>
    public async Task<LeanPhone> ReconnectAsync(int index, CancellationToken ct)
    {
        var old = this[index];
        if (!old.Closed)
        {
            old.Abort();
        }
        var phone = await OpenAsync(index, old.Cookie, ct);
        lock (_phones)
        {
            _phones[index] = phone;
        }
        return phone;
    }

    private async Task<LeanPhone> OpenAsync(int index, string? cookie, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var phone = await LeanPhone.ConnectAsync(this, index, cookie ?? await CookieAsync(ct), ct);
                Interlocked.Increment(ref _joined);
                return phone;
            }
            catch (Exception) when (attempt < 3 && !ct.IsCancellationRequested)
            {
                // A burst of handshakes on loaded cores occasionally times out or is refused: try again a little later.
                await Task.Delay(250 * attempt, ct);
            }
        }
    }

    private async Task<string?> CookieAsync(CancellationToken ct)
    {
        if (_cookieUri is null)
        {
            return null;
        }
        using var response = await Http.GetAsync(_cookieUri, HttpCompletionOption.ResponseHeadersRead, ct);
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split(';')[0]).FirstOrDefault(v => v.StartsWith("lh_pid=", StringComparison.Ordinal))
            : null;
        return cookie ?? throw new InvalidOperationException($"{_cookieUri} set no lh_pid cookie");
    }

    /// <summary>
    /// Connects a hub socket from the current loopback source address (to a loopback server), moving to the next address
    /// when this one has no ephemeral port left. Any other server is connected to without choosing the source.
    /// </summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var target = IPAddress.TryParse(context.DnsEndPoint.Host, out var ip) ? ip
            : (await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, AddressFamily.InterNetwork, ct))[0];
        while (true)
        {
            var first = Volatile.Read(ref _sourceAddress);
            var source = Math.Min(254, first + (int)(Interlocked.Increment(ref _connects) % _spread));
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (IPAddress.IsLoopback(target) && target.AddressFamily == AddressFamily.InterNetwork)
                {
                    if (OperatingSystem.IsLinux())
                    {
                        // IP_BIND_ADDRESS_NO_PORT: the port is chosen at connect, per destination, not at bind.
                        socket.SetRawSocketOption(0, 24, BitConverter.GetBytes(1));
                    }
                    socket.Bind(new IPEndPoint(new IPAddress([127, 0, 0, (byte)source]), 0));
                }
                await socket.ConnectAsync(new IPEndPoint(target, context.DnsEndPoint.Port), ct);
                if (socket.LocalEndPoint is IPEndPoint { Address: var local } && IPAddress.IsLoopback(local))
                {
                    Interlocked.Increment(ref _connectsFrom[local.GetAddressBytes()[^1]]);
                }
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AddressAlreadyInUse
                                             && first < MaxSourceAddresses && IPAddress.IsLoopback(target))
            {
                socket.Dispose();
                // This address has no port left towards the server: every later connection starts one address further on.
                Interlocked.CompareExchange(ref _sourceAddress, first + 1, first);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>This process's limit on open files (<c>ulimit -n</c>, from /proc/self/limits), or null where it cannot be read.</summary>
    public static int? OpenFileLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return int.TryParse(soft, out var n) ? n : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The most phones a pool may hold here: the open-file limit less room for everything else the bench holds open
    /// (its other clients, the runtime's files, the cookie requests). The server inherits the same limit.
    /// </summary>
    public static int MaxPhones => OpenFileLimit() is { } limit ? Math.Max(0, limit - 1000) : int.MaxValue;

    internal void OnClosed(LeanPhone phone) => Interlocked.Increment(ref _dropped);

    private long _records;

    /// <summary>Invocation records (pushes of any kind) every phone of the pool has received.</summary>
    public long Records => Interlocked.Read(ref _records);

    internal void CountRecord() => Interlocked.Increment(ref _records);

    private long _serverPings;

    /// <summary>Pings (type 6 records) the server sent to the pool's phones.</summary>
    public long Pings => Interlocked.Read(ref _serverPings);

    internal void CountPing() => Interlocked.Increment(ref _serverPings);

    private async Task PingLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), _stop.Token);
                LeanPhone[] phones;
                lock (_phones)
                {
                    phones = [.. _phones];
                }
                foreach (var chunk in phones.Chunk(500))
                {
                    await Task.WhenAll(chunk.Select(p => p.PingIfIdleAsync(15_000)));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _pings;
        await ResizeAsync(0, CancellationToken.None);
        Invoker.Dispose();
    }
}
