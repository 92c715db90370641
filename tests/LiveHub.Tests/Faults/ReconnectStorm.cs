using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace LiveHub.Tests.Faults;

/// <summary>
/// What a crowd of phones saw while reconnecting: how many joins were in flight at once, every answer that was not a
/// snapshot, and when each phone was back after the drop.
/// </summary>
public sealed class StormLedger
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<int, TimeSpan> _back = new();
    private long _droppedAtTicks = -1;
    private int _inFlight;
    private int _peakInFlight;
    private int _joined;

    /// <summary>
    /// Every answer that was not a success, before the drop and after, as "code retryable|final retryAfterSeconds method"
    /// (or "untyped" and SignalR's own error text).
    /// </summary>
    public ConcurrentQueue<(bool AfterDrop, string What)> Refusals { get; } = new();

    /// <summary>Exceptions a phone did not expect (anything but a lost connection or a refused handshake).</summary>
    public ConcurrentQueue<Exception> Unexpected { get; } = new();

    /// <summary>Joins turned away with slow_down since the drop.</summary>
    public int Shed => Refusals.Count(r => r.AfterDrop && r.What.StartsWith("slow_down ", StringComparison.Ordinal));

    /// <summary>Joins turned away with slow_down in the whole run: the first connect of 2,000 phones and the storm after the drop.</summary>
    public int ShedInTheRun => Refusals.Count(r => r.What.StartsWith("slow_down ", StringComparison.Ordinal));

    public bool Dropped => Interlocked.Read(ref _droppedAtTicks) >= 0;

    public int PeakJoinsInFlight => Volatile.Read(ref _peakInFlight);

    public int FailedHandshakes;

    public int Back => _back.Count;

    /// <summary>Phones holding their snapshots on an open connection right now.</summary>
    public int Joined => Volatile.Read(ref _joined);

    public IReadOnlyCollection<TimeSpan> BackAfter => _back.Values.ToList();

    public TimeSpan SinceDrop => _clock.Elapsed - TimeSpan.FromTicks(Interlocked.Read(ref _droppedAtTicks));

    /// <summary>From now on snapshots count as "back", and handshakes and peaks are counted again.</summary>
    public void Drop()
    {
        Interlocked.Exchange(ref FailedHandshakes, 0);
        Volatile.Write(ref _peakInFlight, Volatile.Read(ref _inFlight));
        Interlocked.Exchange(ref _droppedAtTicks, _clock.Elapsed.Ticks);
    }

    public void JoinStarted()
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var peak = Volatile.Read(ref _peakInFlight); now > peak; peak = Volatile.Read(ref _peakInFlight))
        {
            Interlocked.CompareExchange(ref _peakInFlight, now, peak);
        }
    }

    public void JoinEnded() => Interlocked.Decrement(ref _inFlight);

    public void Left() => Interlocked.Decrement(ref _joined);

    public void Snapshot(int phone)
    {
        Interlocked.Increment(ref _joined);
        if (Interlocked.Read(ref _droppedAtTicks) >= 0)
        {
            _back.TryAdd(phone, SinceDrop);
        }
    }
}

/// <summary>
/// One phone of a crowd, speaking the hub's JSON protocol over a bare WebSocket (a SignalR client each is too heavy for
/// thousands in one process) and reconnecting as the pages do (src/Web/wwwroot/js/lib/connection.js): after a drop it tries
/// again within 0–250 ms; a refused or hung handshake (4 s) backs off exponentially with jitter, 0.5–1 s, 1–2 s, 2–4 s …
/// 15 s at most; once connected it joins the event and the session, and a join answered with an error is tried again
/// after the answer's retryAfterSeconds plus up to a second of jitter (2–4 s without one), for as long as it stays up.
/// </summary>
public sealed class StormPhone(int index, Uri hub, string cookie, string code, long sessionId, StormLedger ledger)
{
    /// <summary>One participant cookie per phone, from the pages' probe (GET /health/live), as a phone's first request gets one.</summary>
    public static async Task<string[]> CookiesAsync(Uri server, int count)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 16 }) { BaseAddress = server };
        var cookies = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var response = await http.GetAsync("/health/live", ct);
            response.EnsureSuccessStatusCode();
            cookies[i] = response.Headers.GetValues("Set-Cookie").Select(v => v.Split(';')[0]).Single(v => v.StartsWith("lh_pid=", StringComparison.Ordinal));
        });
        return cookies;
    }

    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(4);
    private Wire? _wire;

    public int Index => index;

    /// <summary>Pings the open connection when it has sent nothing for 15 s, and drops it when the server has been silent for 2.5 pings.</summary>
    public Task TickAsync(TimeSpan serverTimeout) => _wire?.TickAsync(serverTimeout) ?? Task.CompletedTask;

    public void Abort() => _wire?.Abort();

    public static int Backoff(int attempt)
    {
        var cap = Math.Min(15000, 1000 * Math.Pow(2, Math.Min(attempt, 10)));
        return (int)Math.Round(cap / 2 + Random.Shared.NextDouble() * (cap / 2));
    }

    public async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var wire = await Wire.OpenAsync(hub, cookie, HandshakeTimeout, ledger.Unexpected.Enqueue, stop);
                if (wire is null)
                {
                    Interlocked.Increment(ref ledger.FailedHandshakes);
                    await Task.Delay(Backoff(failures++), stop);
                    continue;
                }
                failures = 0;
                _wire = wire;
                using (wire)
                {
                    if (await RejoinAsync(wire, stop))
                    {
                        ledger.Snapshot(index);
                        try
                        {
                            await wire.Closed.WaitAsync(stop);
                        }
                        finally
                        {
                            ledger.Left();
                        }
                    }
                }
                // The page probes within 0–250 ms of a drop and connects when the server answers.
                await Task.Delay(Random.Shared.Next(0, 251), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                ledger.Unexpected.Enqueue(e);
                try
                {
                    await Task.Delay(Backoff(failures++), stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>JoinEvent then JoinSession, again from the start after any failure, until both answer or the connection is lost.</summary>
    private async Task<bool> RejoinAsync(Wire wire, CancellationToken stop)
    {
        while (true)
        {
            var failed = await JoinAsync(wire, "JoinEvent", $"""["{code}"]""") ??
                await JoinAsync(wire, "JoinSession", $"""[{sessionId},"audience"]""");
            if (failed is not { } delay)
            {
                return true;
            }
            if (delay < 0 || await Task.WhenAny(wire.Closed, Task.Delay(delay, stop)) == wire.Closed)
            {
                return false;
            }
            stop.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Null when the call answered a snapshot; else how long to wait before the next try, or -1 when the connection was lost.</summary>
    private async Task<int?> JoinAsync(Wire wire, string target, string arguments)
    {
        ledger.JoinStarted();
        JsonObject? reply;
        try
        {
            reply = await wire.InvokeAsync(target, arguments);
        }
        finally
        {
            ledger.JoinEnded();
        }
        if (reply is null)
        {
            return -1;
        }
        if (reply["result"] is JsonObject result && (bool?)result["ok"] == true)
        {
            return null;
        }
        if (reply["result"]?["error"] is not JsonObject error)
        {
            // Not a HubResult: SignalR's own error string, which is neither typed nor retryable.
            ledger.Refusals.Enqueue((ledger.Dropped, $"untyped {target}: {reply["error"]}"));
            return Backoff(2);
        }
        var retryable = (bool?)error["retryable"] == true;
        var after = (int?)error["retryAfterSeconds"];
        ledger.Refusals.Enqueue((ledger.Dropped, $"{error["code"]} {(retryable ? "retryable" : "final")} {after?.ToString() ?? "-"} {target}"));
        return retryable && after is { } seconds ? seconds * 1000 + Random.Shared.Next(0, 1001) : Backoff(2);
    }

    /// <summary>One WebSocket carrying the hub protocol: sends serialized, a receive loop completing calls by invocation id.</summary>
    private sealed class Wire : IDisposable
    {
        private const char Separator = '\u001e';
        private readonly ClientWebSocket _socket;
        private readonly SemaphoreSlim _sending = new(1, 1);
        private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject?>> _calls = new();
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _lastHeard = Environment.TickCount64;
        private long _lastSent = Environment.TickCount64;
        private int _nextId;

        private readonly Action<Exception> _unexpected;

        private Wire(ClientWebSocket socket, Action<Exception> unexpected)
        {
            _socket = socket;
            _unexpected = unexpected;
        }

        public Task Closed => _closed.Task;

        /// <summary>An open connection past its handshake; null when it was refused, reset or hung.</summary>
        public static async Task<Wire?> OpenAsync(Uri hub, string cookie, TimeSpan timeout, Action<Exception> unexpected, CancellationToken stop)
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Cookie", cookie);
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            socket.Options.SetBuffer(4096, 4096);
            var wire = new Wire(socket, unexpected);
            using var hung = CancellationTokenSource.CreateLinkedTokenSource(stop);
            hung.CancelAfter(timeout);
            var open = false;
            try
            {
                await socket.ConnectAsync(hub, hung.Token);
                _ = wire.ReceiveLoopAsync();
                await wire.SendAsync("""{"protocol":"json","version":1}""");
                open = await wire._handshake.Task.WaitAsync(hung.Token);
                return open ? wire : null;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException && !stop.IsCancellationRequested)
            {
                // Refused (reset, 401, 503) or hung: the caller backs off.
                return null;
            }
            finally
            {
                if (!open)
                {
                    wire.Dispose();
                }
            }
        }

        public async Task<JsonObject?> InvokeAsync(string target, string arguments)
        {
            var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var call = new TaskCompletionSource<JsonObject?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _calls[id] = call;
            if (_closed.Task.IsCompleted)
            {
                return null;
            }
            await SendAsync($$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":{{arguments}}}""");
            return await call.Task;
        }

        public async Task TickAsync(TimeSpan serverTimeout)
        {
            if (_closed.Task.IsCompleted)
            {
                return;
            }
            var now = Environment.TickCount64;
            if (now - Interlocked.Read(ref _lastHeard) > serverTimeout.TotalMilliseconds)
            {
                Abort();
            }
            else if (now - Interlocked.Read(ref _lastSent) > 15_000)
            {
                await SendAsync("""{"type":6}""");
            }
        }

        public void Abort()
        {
            _socket.Abort();
            Close();
        }

        private async Task SendAsync(string record)
        {
            await _sending.WaitAsync();
            try
            {
                Interlocked.Exchange(ref _lastSent, Environment.TickCount64);
                await _socket.SendAsync(Encoding.UTF8.GetBytes(record + Separator), WebSocketMessageType.Text, true, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
            {
                Close();
            }
            finally
            {
                _sending.Release();
            }
        }

        private async Task ReceiveLoopAsync()
        {
            var buffer = ArrayPool<byte>.Shared.Rent(8 * 1024);
            var message = new ArrayBufferWriter<byte>();
            var pending = "";
            try
            {
                while (true)
                {
                    var read = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (read.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    Interlocked.Exchange(ref _lastHeard, Environment.TickCount64);
                    message.Write(buffer.AsSpan(0, read.Count));
                    if (!read.EndOfMessage)
                    {
                        continue;
                    }
                    var records = (pending + Encoding.UTF8.GetString(message.WrittenSpan)).Split(Separator);
                    message.Clear();
                    pending = records[^1];
                    foreach (var record in records[..^1])
                    {
                        Dispatch(record);
                    }
                }
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                // A record the phone could not read: the connection ends, and the test hears why.
                _unexpected(e);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                Close();
            }
        }

        private void Dispatch(string record)
        {
            if (!_handshake.Task.IsCompleted)
            {
                _handshake.TrySetResult(record == "{}");
                return;
            }
            // Pings and the session's pushed events are not what this phone waits for.
            if (!record.StartsWith("""{"type":3""", StringComparison.Ordinal) && !record.Contains("\"type\":3", StringComparison.Ordinal) &&
                !record.Contains("\"type\":7", StringComparison.Ordinal))
            {
                return;
            }
            if (JsonNode.Parse(record) is not JsonObject m)
            {
                return;
            }
            if ((int?)m["type"] == 7)
            {
                Close();
            }
            else if ((int?)m["type"] == 3 && (string?)m["invocationId"] is { } id && _calls.TryRemove(id, out var call))
            {
                call.TrySetResult(m);
            }
        }

        private void Close()
        {
            _handshake.TrySetResult(false);
            if (_closed.TrySetResult())
            {
                foreach (var call in _calls.Values)
                {
                    call.TrySetResult(null);
                }
            }
            // A call sent after the close was seen finds it closed; one registered meanwhile is finished here.
            foreach (var (id, call) in _calls)
            {
                if (_calls.TryRemove(id, out _))
                {
                    call.TrySetResult(null);
                }
            }
        }

        public void Dispose()
        {
            Close();
            _socket.Abort();
            _socket.Dispose();
        }
    }
}
