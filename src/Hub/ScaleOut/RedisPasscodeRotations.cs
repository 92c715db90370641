using System.Collections.Concurrent;
using System.Globalization;
using LiveHub.Identity;
using LiveHub.Realtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LiveHub.ScaleOut;

/// <summary>
/// A rotation told to every node through Redis: the rotating node puts it in force for itself, publishes it, and waits until
/// every node that received it (Redis says how many) confirms it did the same. So when the organizer gets the answer, no node
/// takes the old sign-in any more. A node that misses the message (Redis down at that moment) catches up within
/// <see cref="PasscodeStamps.CacheFor"/>: its stamp cache expires and its moderator groups are swept.
/// </summary>
public sealed partial class RedisPasscodeRotations(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    PasscodeStamps stamps,
    ModeratorGroups groups,
    ILogger<RedisPasscodeRotations> logger) : PasscodeRotations(stamps, groups), IHostedService
{
    private readonly ConcurrentDictionary<string, Confirmations> _waiting = new();

    private RedisChannel Rotated => RedisChannel.Literal(keys.PasscodeRotated);
    private RedisChannel Confirmed => RedisChannel.Literal(keys.PasscodeRotationConfirmed);

    public override async Task RotatedAsync(long eventId, CancellationToken ct)
    {
        await ApplyAsync(eventId, ct);
        var rotation = Guid.NewGuid().ToString("N");
        var confirmations = _waiting[rotation] = new Confirmations();
        try
        {
            var receivers = await redis.GetSubscriber().PublishAsync(Rotated, $"{eventId}:{rotation}");
            confirmations.Expect(receivers);
            // Waiting longer is pointless: by then every node's cached stamp has expired anyway.
            await confirmations.All.WaitAsync(PasscodeStamps.CacheFor, ct);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogNotConfirmed(logger, ex, eventId);
        }
        finally
        {
            _waiting.TryRemove(rotation, out _);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var subscriber = redis.GetSubscriber();
        try
        {
            await subscriber.SubscribeAsync(Confirmed, (_, message) =>
            {
                if (_waiting.TryGetValue(message.ToString(), out var confirmations))
                {
                    confirmations.Confirm();
                }
            });
            await subscriber.SubscribeAsync(Rotated, (channel, message) => _ = OnRotatedAsync(message.ToString()));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // A node starts without Redis and keeps trying, as the backplane does; until then it catches up by expiry and sweep.
            LogSubscribeFailed(logger, ex);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var subscriber = redis.GetSubscriber();
        await subscriber.UnsubscribeAsync(Rotated);
        await subscriber.UnsubscribeAsync(Confirmed);
    }

    private async Task OnRotatedAsync(string message)
    {
        var parts = message.Split(':');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var eventId))
        {
            return;
        }
        try
        {
            await ApplyAsync(eventId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The stamp is forgotten before anything can fail; the groups' sweep finishes the rest.
            LogApplyFailed(logger, ex, eventId);
        }
        try
        {
            await redis.GetSubscriber().PublishAsync(Confirmed, parts[1]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogNotConfirmed(logger, ex, eventId);
        }
    }

    /// <summary>How many nodes confirmed a rotation, against how many received it (unknown until the publish returns).</summary>
    private sealed class Confirmations
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _expected = long.MaxValue;
        private long _confirmed;

        public Task All => _all.Task;

        public void Expect(long receivers)
        {
            Interlocked.Exchange(ref _expected, receivers);
            Check();
        }

        public void Confirm()
        {
            Interlocked.Increment(ref _confirmed);
            Check();
        }

        private void Check()
        {
            if (Interlocked.Read(ref _confirmed) >= Interlocked.Read(ref _expected))
            {
                _all.TrySetResult();
            }
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message =
        "Passcode rotation of event {EventId} not confirmed by every node; nodes that missed it follow within 5 s")]
    private static partial void LogNotConfirmed(ILogger logger, Exception ex, long eventId);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Could not subscribe to passcode rotations; this node follows them within 5 s")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Applying the passcode rotation of event {EventId} failed on this node")]
    private static partial void LogApplyFailed(ILogger logger, Exception ex, long eventId);
}
