using System.Buffers;
using System.Text.Json;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LiveHub.ScaleOut;

/// <summary>
/// Versioned deltas (<see cref="IVersionedDelta"/>) to a session's groups do not take the backplane's group channels: every
/// node publishes them on one channel (<see cref="RedisKeys.SessionDeltas"/>) and every node puts what it receives back in
/// version order per group (<see cref="DeltaSequencer{T}"/>) before handing it to its own members. Writes to one session
/// commit in version order on any node, but two nodes publish on their own, so without this a phone could get version 6
/// before 5 and take a needless snapshot.
/// </summary>
public sealed partial class ClusterHubLifetimeManager<THub>
{
    /// <summary>How long a delta waits for one before it that has not arrived (lost, not late, after that).</summary>
    public static readonly TimeSpan DeltaHold = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan DeltaSweep = TimeSpan.FromMilliseconds(100);

    private readonly IConnectionMultiplexer _multiplexer;
    private readonly RedisChannel _deltas;
    private readonly JsonSerializerOptions _payloadJson;
    private readonly DeltaSequencer<Delivery> _order;
    private readonly ITimer _sweep;
    private readonly Lock _orderLock = new();
    private Task? _subscribed;

    /// <summary>One send of a delta to one group, as it came off the channel.</summary>
    private readonly record struct Delivery(string Method, JsonElement Payload);

    /// <summary>A session group's member took a snapshot at <paramref name="version"/>: the group's order on this node starts there.</summary>
    public void Joined(string group, long version)
    {
        EnsureSubscribed();
        List<(string, Delivery)> ready;
        lock (_orderLock)
        {
            ready = [.. _order.Started(group, version).Select(d => (group, d))];
        }
        Deliver(ready);
    }

    public void Dispose() => _sweep.Dispose();

    private static bool IsVersioned(IReadOnlyList<string> groups, object?[] args, out IVersionedDelta delta)
    {
        delta = null!;
        if (args is not [IVersionedDelta d] || groups.Count == 0 || groups.Any(g => GroupNames.SessionOf(g) is null))
        {
            return false;
        }
        delta = d;
        return true;
    }

    private Task SendVersionedAsync(IReadOnlyList<string> groups, string method, IVersionedDelta delta)
    {
        if (!_link.IsUp)
        {
            // This node's members alone: the order moves on with them, and what waited for this version goes first.
            List<(string, Delivery)> ready = [];
            lock (_orderLock)
            {
                foreach (var group in groups)
                {
                    ready.AddRange(_order.Seen(group, delta.Version).Select(d => (group, d)));
                }
            }
            Deliver(ready);
            return HandedOver(_local.SendGroupsAsync(groups, method, [delta]));
        }
        EnsureSubscribed();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("g");
            foreach (var group in groups)
            {
                writer.WriteStringValue(group);
            }
            writer.WriteEndArray();
            writer.WriteString("m", method);
            writer.WriteNumber("v", delta.Version);
            writer.WritePropertyName("p");
            JsonSerializer.Serialize(writer, delta, delta.GetType(), _payloadJson);
            writer.WriteEndObject();
        }
        return _multiplexer.GetSubscriber().PublishAsync(_deltas, buffer.WrittenMemory);
    }

    /// <summary>Subscribed once, in order (one message at a time); the multiplexer subscribes again after every reconnection.</summary>
    private void EnsureSubscribed()
    {
        if (_subscribed is { IsCompletedSuccessfully: true } || _subscribed is { IsCompleted: false })
        {
            return;
        }
        lock (_orderLock)
        {
            if (_subscribed is { IsCompletedSuccessfully: true } || _subscribed is { IsCompleted: false })
            {
                return;
            }
            _subscribed = SubscribeAsync();
        }
    }

    private async Task SubscribeAsync()
    {
        try
        {
            var queue = await _multiplexer.GetSubscriber().SubscribeAsync(_deltas);
            queue.OnMessage(Receive);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogBackplaneFailed(_logger, ex, "subscribe to session deltas");
            throw;
        }
    }

    private void Receive(ChannelMessage message)
    {
        List<(string, Delivery)> ready = [];
        try
        {
            using var document = JsonDocument.Parse((ReadOnlyMemory<byte>)message.Message);
            var root = document.RootElement;
            var method = root.GetProperty("m").GetString()!;
            var version = root.GetProperty("v").GetInt64();
            var delivery = new Delivery(method, root.GetProperty("p").Clone());
            lock (_orderLock)
            {
                foreach (var group in root.GetProperty("g").EnumerateArray().Select(g => g.GetString()!))
                {
                    ready.AddRange(_order.Arrived(group, version, delivery).Select(d => (group, d)));
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            LogBackplaneFailed(_logger, ex, "read a session delta");
        }
        Deliver(ready);
    }

    private List<(string, Delivery)> Expired()
    {
        lock (_orderLock)
        {
            return _order.Expired();
        }
    }

    private void Deliver(List<(string Group, Delivery Delivery)> ready)
    {
        foreach (var (group, delivery) in ready)
        {
            HandedOver(_local.SendGroupAsync(group, delivery.Method, [delivery.Payload]));
        }
    }
}
