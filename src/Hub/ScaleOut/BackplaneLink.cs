using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveHub.ScaleOut;

/// <summary>
/// Whether this node's link to Redis carries messages now. It goes down the moment StackExchange.Redis reports a connection
/// failed. It comes back up only after a probe published by this node has come back to it on a subscription made after the
/// reconnection (so every subscription restored before it is in place too), and after <see cref="Recovering"/> has
/// re-registered what must be; then <see cref="Recovered"/> runs, to make up for what was lost meanwhile.
/// Redis pub/sub delivers a message to the subscriptions that exist when it is published, and each node reconnects on its own
/// schedule, so a message published while one node is still away is lost for that node whatever the others see.
/// A link can also fail without StackExchange.Redis hearing of it: a stalled network, or one that forgot the connection, keeps
/// the socket open and silent. So while up, the node sends itself a heartbeat through Redis twice a second; when none has come
/// back for <see cref="ScaleOutOptions.LinkTimeoutMilliseconds"/> the link goes down as if it had failed, and the pings sent
/// beside the heartbeat time out until StackExchange.Redis drops the silent connections and reconnects.
/// </summary>
public sealed partial class BackplaneLink : BackgroundService
{
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HeartbeatEvery = TimeSpan.FromMilliseconds(500);

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly string _nodeId;
    private readonly long _timeoutMs;
    private readonly ILogger<BackplaneLink> _logger;
    private readonly TimeProvider _clock;

    /// <summary>The registered clock's monotonic time in milliseconds.</summary>
    private long NowMilliseconds => _clock.GetTimestamp() / (_clock.TimestampFrequency / 1000);
    private readonly SemaphoreSlim _recovering = new(1, 1);
    private volatile bool _up;
    private long _failures;
    private long _probes;
    private long _heardAt;
    private long _recoveryTriedAt;

    public BackplaneLink(IConnectionMultiplexer redis, RedisKeys keys, IOptions<ScaleOutOptions> options, TimeProvider clock,
        ILogger<BackplaneLink> logger)
    {
        _redis = redis;
        _keys = keys;
        _nodeId = options.Value.NodeId;
        _timeoutMs = options.Value.LinkTimeoutMilliseconds;
        _logger = logger;
        _clock = clock;
        _heardAt = NowMilliseconds;
        _up = redis.IsConnected;
        redis.ConnectionFailed += (_, e) => Fail(e.ConnectionType, e.FailureType);
        redis.ConnectionRestored += (_, _) => _ = RecoverAsync();
    }

    /// <summary>Messages cross nodes now: send through Redis. When false, this node serves only its own connections.</summary>
    public bool IsUp => _up;

    /// <summary>Both of the multiplexer's connections are open (not yet proven to carry messages).</summary>
    public bool IsConnected => _redis.IsConnected && _redis.GetSubscriber().IsConnected();

    /// <summary>After the probe, before the link counts as up: put back what must be registered in Redis.</summary>
    public Func<CancellationToken, Task>? Recovering { get; set; }

    /// <summary>Once the link is up again after being down: every node makes up for the messages that may have been lost.</summary>
    public event Func<Task>? Recovered;

    /// <summary>The link cannot be trusted (a registration failed, say): down until it has recovered like after an outage.</summary>
    public void Lost(string why)
    {
        Interlocked.Increment(ref _failures);
        if (_up)
        {
            _up = false;
            LogLost(_logger, why);
        }
    }

    private void Fail(ConnectionType connection, ConnectionFailureType failure)
    {
        Interlocked.Increment(ref _failures);
        if (_up)
        {
            _up = false;
            LogDown(_logger, connection, failure);
        }
    }

    private async Task RecoverAsync()
    {
        if (_up || !IsConnected || !await _recovering.WaitAsync(0))
        {
            return;
        }
        try
        {
            var failures = Interlocked.Read(ref _failures);
            if (!await ProbeAsync())
            {
                return;
            }
            if (Recovering is { } recovering)
            {
                await recovering(CancellationToken.None);
            }
            // A failure during the recovery means the link broke again: the next restore starts over.
            if (Interlocked.Read(ref _failures) != failures || !IsConnected)
            {
                return;
            }
            Interlocked.Exchange(ref _heardAt, NowMilliseconds);
            _up = true;
            LogUp(_logger);
            foreach (var handler in Recovered?.GetInvocationList().Cast<Func<Task>>() ?? [])
            {
                await handler();
            }
        }
        catch (Exception ex)
        {
            // Redis gone again (a command cut off by a dropped connection ends cancelled), or a handler failed: the periodic
            // check tries the whole recovery again. Nothing here is cancelled on purpose, and the node must not stop over it.
            LogRecoveryFailed(_logger, ex);
        }
        finally
        {
            _recovering.Release();
        }
    }

    /// <summary>A message to itself through Redis, on a channel subscribed after every subscription restored before it.</summary>
    private async Task<bool> ProbeAsync()
    {
        var channel = RedisChannel.Literal($"{_keys.Probe(_nodeId)}:{Interlocked.Increment(ref _probes)}");
        var subscriber = _redis.GetSubscriber();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await subscriber.SubscribeAsync(channel, (_, _) => arrived.TrySetResult());
        try
        {
            var started = _clock.GetTimestamp();
            while (!arrived.Task.IsCompleted && _clock.GetElapsedTime(started) < ProbeTimeout && IsConnected)
            {
                await subscriber.PublishAsync(channel, "probe");
                await Task.WhenAny(arrived.Task, Task.Delay(ProbeEvery));
            }
            return arrived.Task.IsCompleted;
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channel);
        }
    }

    /// <summary>
    /// While up, the heartbeat and its silence check; while down, catches a recovery whose restore event came while another
    /// recovery was running, or failed.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriber = _redis.GetSubscriber();
        var heartbeat = RedisChannel.Literal(_keys.Heartbeat(_nodeId));
        try
        {
            // Subscribed once: the multiplexer subscribes it again after every reconnection.
            await subscriber.SubscribeAsync(heartbeat, (_, _) => Interlocked.Exchange(ref _heardAt, NowMilliseconds));
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Redis is away at start: the subscription is kept and made when it connects.
            LogRecoveryFailed(_logger, ex);
        }
        // The silence is counted from now, not from however long the node took to start.
        Interlocked.Exchange(ref _heardAt, NowMilliseconds);
        using var timer = new PeriodicTimer(HeartbeatEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await BeatAsync(subscriber, heartbeat);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever the Redis client throws while a connection is dropped under it: the next beat tries again.
                    LogRecoveryFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task BeatAsync(ISubscriber subscriber, RedisChannel heartbeat)
    {
        if (IsConnected)
        {
            // Up or down, while connected: a silent connection must have commands that time out, or it is never dropped.
            Observe(subscriber.PingAsync());
            Observe(_redis.GetDatabase().PingAsync());
        }
        if (_up)
        {
            var silent = NowMilliseconds - Interlocked.Read(ref _heardAt);
            if (silent > _timeoutMs || !IsConnected)
            {
                Lost($"silent for {silent} ms");
                return;
            }
            // Fire and forget: the heartbeat's return is what counts, and a hub call never waits for it.
            _ = subscriber.PublishAsync(heartbeat, _nodeId, CommandFlags.FireAndForget);
        }
        else if (IsConnected && NowMilliseconds - _recoveryTriedAt >= 1000)
        {
            _recoveryTriedAt = NowMilliseconds;
            await RecoverAsync();
        }
    }

    /// <summary>A ping only has to be sent (an answer that does not come is what StackExchange.Redis counts); its failure is expected.</summary>
    private static void Observe(Task ping) =>
        ping.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning,
        Message = "Redis link down ({Connection}: {Failure}); this node serves its own connections alone until it is back")]
    private static partial void LogDown(ILogger logger, ConnectionType connection, ConnectionFailureType failure);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Redis link up again; screens are told to catch up")]
    private static partial void LogUp(ILogger logger);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning,
        Message = "Redis link lost ({Why}); this node serves its own connections alone until it is back")]
    private static partial void LogLost(ILogger logger, string why);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Recovering the Redis link failed; trying again")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception ex);
}
