using System.Buffers;
using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;

namespace LiveHub.Bench.Clients;

/// <summary>
/// An audience phone on a raw <see cref="ClientWebSocket"/> speaking SignalR's JSON hub protocol by hand: the handshake, the
/// joins (invocations answered by completions), pings, and from then on only reading. Each record is read where it lies in the
/// socket's one pooled receive buffer; what a measurement needs (the update's key or its send timestamp) is found with span
/// searches, and nothing else of the message is parsed. It costs the bench's core a fraction of what the SignalR .NET client does.
/// </summary>
public sealed class LeanPhone
{
    private const byte Separator = 0x1e;
    private const int SmallBuffer = 4096;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");

    private readonly LeanAudience _pool;
    private readonly ClientWebSocket _socket;
    private byte[] _buffer;
    private int _filled;
    private TaskCompletionSource<bool>? _handshake;
    private TaskCompletionSource<Completion>? _call;
    private byte[] _callId = [];
    private int _nextId;
    private long _lastSent = Environment.TickCount64;
    private int _closed;
    private int _busy;
    private bool _aborted;

    private LeanPhone(LeanAudience pool, int index, ClientWebSocket socket, string? cookie)
    {
        _pool = pool;
        Index = index;
        _socket = socket;
        Cookie = cookie;
        _buffer = ArrayPool<byte>.Shared.Rent(SmallBuffer);
    }

    public int Index { get; }

    /// <summary>The participant cookie the phone connected with (a reconnecting phone keeps it, as a browser does).</summary>
    public string? Cookie { get; }
    public LeanAudience Pool => _pool;
    public bool Closed => Volatile.Read(ref _closed) != 0;

    /// <summary>What a completion said: ok (a void result, or a <c>HubResult</c> with <c>ok: true</c>), or when to try again, or why not.</summary>
    public readonly record struct Completion(bool Ok, int? RetryAfterSeconds, string? Error);

    /// <summary>Opens the socket, completes the handshake and runs the joins in order (retrying a join the server asks to retry later).</summary>
    public static async Task<LeanPhone> ConnectAsync(LeanAudience pool, int index, string? cookie, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // SignalR's own pings keep the connection alive
        if (cookie is not null)
        {
            socket.Options.SetRequestHeader("Cookie", cookie);
        }
        var phone = new LeanPhone(pool, index, socket, cookie);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await socket.ConnectAsync(pool.HubUri, pool.Invoker, timeout.Token);
            phone._handshake = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = phone.ReceiveLoopAsync();
            await phone.SendAsync(Handshake, timeout.Token);
            if (!await phone._handshake.Task.WaitAsync(timeout.Token))
            {
                throw new InvalidOperationException("The hub refused the handshake.");
            }
            foreach (var (target, arguments) in pool.Joins)
            {
                while (true)
                {
                    var done = await phone.InvokeAsync(target, arguments, timeout.Token);
                    if (done.Ok)
                    {
                        break;
                    }
                    if (done.RetryAfterSeconds is not { } seconds)
                    {
                        throw new InvalidOperationException($"{target}: {done.Error}");
                    }
                    Interlocked.Increment(ref pool.JoinRetries);
                    await Task.Delay(seconds * 1000 + Random.Shared.Next(0, 1000), timeout.Token);
                }
            }
            return phone;
        }
        catch
        {
            phone.Abort();
            throw;
        }
    }

    /// <summary>
    /// Calls a hub method (its arguments as a JSON array) and waits for the completion; null, without sending, when the phone
    /// is closed or already waiting for a call: a phone makes one call at a time.
    /// </summary>
    public Task<Completion>? TryCall(string target, string arguments, CancellationToken ct)
    {
        if (Closed || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return null;
        }
        return CallAsync();

        async Task<Completion> CallAsync()
        {
            try
            {
                return await InvokeAsync(target, arguments, ct);
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        }
    }

    private async Task<Completion> InvokeAsync(string target, string arguments, CancellationToken ct)
    {
        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _callId = Encoding.UTF8.GetBytes(id);
        var call = new TaskCompletionSource<Completion>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _call, call);
        await SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{target}\",\"arguments\":{arguments}}}\u001e"), ct);
        return await call.Task.WaitAsync(ct);
    }

    /// <summary>Sends a ping when nothing was sent for <paramref name="idleMs"/>: the server drops a client silent for 30 s.</summary>
    public async Task PingIfIdleAsync(long idleMs)
    {
        if (Closed || Environment.TickCount64 - Volatile.Read(ref _lastSent) < idleMs)
        {
            return;
        }
        try
        {
            await SendAsync(Ping, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException or OperationCanceledException)
        {
            MarkClosed();
        }
    }

    private async Task SendAsync(byte[] record, CancellationToken ct)
    {
        Volatile.Write(ref _lastSent, Environment.TickCount64);
        await _socket.SendAsync(record, WebSocketMessageType.Text, true, ct);
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                if (_filled == _buffer.Length)
                {
                    Grow();
                }
                var read = await _socket.ReceiveAsync(_buffer.AsMemory(_filled), CancellationToken.None);
                if (read.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                _filled += read.Count;
                var data = _buffer.AsSpan(0, _filled);
                var consumed = 0;
                int end;
                while ((end = data[consumed..].IndexOf(Separator)) >= 0)
                {
                    if (!OnRecord(data.Slice(consumed, end)))
                    {
                        MarkClosed();
                        return;
                    }
                    consumed += end + 1;
                }
                if (consumed > 0)
                {
                    data[consumed..].CopyTo(_buffer);
                    _filled -= consumed;
                    if (_filled == 0 && _buffer.Length > SmallBuffer)
                    {
                        // A large record (a join's snapshot) grew the buffer; updates fit in the small one again.
                        ArrayPool<byte>.Shared.Return(_buffer);
                        _buffer = ArrayPool<byte>.Shared.Rent(SmallBuffer);
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
        }
        MarkClosed();
    }

    private void Grow()
    {
        var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 4);
        _buffer.AsSpan(0, _filled).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    // "{\"type\":N" is how SignalR's JSON protocol starts every record after the handshake.
    private static ReadOnlySpan<byte> TypePrefix => "{\"type\":"u8;
    private static ReadOnlySpan<byte> CompletionPrefix => "{\"type\":3,\"invocationId\":\""u8;
    private static ReadOnlySpan<byte> OkResult => "\"result\":{\"ok\":true"u8;

    /// <summary>Handles one record; false when the server closed the connection (a close record, or a refused handshake).</summary>
    private bool OnRecord(ReadOnlySpan<byte> record)
    {
        if (_handshake is { } handshake)
        {
            // The handshake answer is "{}" or {"error":"..."}.
            _handshake = null;
            var ok = record.IndexOf("\"error\""u8) < 0;
            handshake.TrySetResult(ok);
            return ok;
        }
        if (!record.StartsWith(TypePrefix) || record.Length <= TypePrefix.Length)
        {
            return true;
        }
        switch (record[TypePrefix.Length])
        {
            case (byte)'1':
                _pool.CountRecord();
                _pool.Reader(this, record);
                return true;
            case (byte)'3':
                OnCompletion(record);
                return true;
            case (byte)'7':
                return false;
            case (byte)'6':
                _pool.CountPing();
                return true; // the server's ping, answered by nothing
            default:
                return true;
        }
    }

    private void OnCompletion(ReadOnlySpan<byte> record)
    {
        var call = Volatile.Read(ref _call);
        if (call is null || !record.StartsWith(CompletionPrefix))
        {
            return;
        }
        var rest = record[CompletionPrefix.Length..];
        if (!rest.StartsWith(_callId) || rest.Length <= _callId.Length || rest[_callId.Length] != (byte)'"')
        {
            return;
        }
        rest = rest[(_callId.Length + 2)..]; // past the id's closing quote and the comma (or the closing brace)
        Completion done;
        if (rest.StartsWith("\"error\":"u8))
        {
            done = new Completion(false, null, Encoding.UTF8.GetString(rest));
        }
        else if (!rest.StartsWith("\"result\":{"u8) || rest.StartsWith(OkResult))
        {
            // A void method's completion carries no result (or null); a HubResult says ok: true.
            done = new Completion(true, null, null);
        }
        else
        {
            var retry = rest.IndexOf("\"retryable\":true"u8) >= 0 ? NumberAfter(rest, "\"retryAfterSeconds\":"u8) : null;
            var shown = rest[..Math.Min(rest.Length, 300)];
            done = new Completion(false, retry is { } r ? (int)Math.Clamp(r, 0, 60) : null, Encoding.UTF8.GetString(shown));
        }
        Volatile.Write(ref _call, null);
        _pool.CompletionReader?.Invoke(this, record);
        call.TrySetResult(done);
    }

    /// <summary>The integer right after the first <paramref name="name"/> in <paramref name="text"/> (a JSON property), or null.</summary>
    public static long? NumberAfter(ReadOnlySpan<byte> text, ReadOnlySpan<byte> name) =>
        text.IndexOf(name) is var at and >= 0 && Utf8Parser.TryParse(text[(at + name.Length)..], out long value, out _) ? value : null;

    /// <summary>The integer right after the last <paramref name="name"/> in <paramref name="text"/>, or null.</summary>
    public static long? NumberAfterLast(ReadOnlySpan<byte> text, ReadOnlySpan<byte> name) =>
        text.LastIndexOf(name) is var at and >= 0 && Utf8Parser.TryParse(text[(at + name.Length)..], out long value, out _) ? value : null;

    private void MarkClosed()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _handshake?.TrySetResult(false);
            Volatile.Read(ref _call)?.TrySetException(new WebSocketException("The connection closed."));
            if (!_aborted)
            {
                _pool.OnClosed(this);
            }
        }
    }

    /// <summary>Drops the connection at once (the server sees a reset; no TIME_WAIT is left on either side to hold a port).</summary>
    public void Abort()
    {
        _aborted = true;
        _socket.Abort();
        _socket.Dispose();
    }
}
