using System.Collections.Concurrent;
using System.Diagnostics;
using LiveHub.Events;
using LiveHub.Realtime;
using LiveHub.Tests.Cluster;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace LiveHub.Tests.Faults;

/// <summary>Two nodes on PostgreSQL, each reaching redis-server through a <see cref="FaultProxy"/> of its own.</summary>
public sealed class SlowAndLossyRedisFixture : ClusterFixture
{
    protected override ClusterOptions Options => new() { Nodes = 2, Nginx = false, RedisProxies = true };
}

[Collection(FaultCollection.Name)]
public sealed class SlowAndLossyRedisTests(SlowAndLossyRedisFixture fixture, ITestOutputHelper output) : IClassFixture<SlowAndLossyRedisFixture>
{
    private const string Case = "Redis slow (2 s latency) and lossy";
    private static readonly TimeSpan Latency = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SlowFor = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan SlowAckP95 = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The lossy link, about 15 s: node 2's connections to Redis stall (blackhole: nothing crosses, nothing is closed, the
    /// connection stays dead) or drop (reset), a second or two at a time, with a working second between.
    /// </summary>
    private static readonly (FaultMode Mode, double Seconds)[] Lossy =
    [
        (FaultMode.Reset, 1), (FaultMode.Pass, 1), (FaultMode.Blackhole, 1.5), (FaultMode.Pass, 1),
        (FaultMode.Reset, 2), (FaultMode.Pass, 1), (FaultMode.Blackhole, 1), (FaultMode.Pass, 1),
        (FaultMode.Reset, 1.5), (FaultMode.Pass, 1), (FaultMode.Blackhole, 2), (FaultMode.Pass, 1),
    ];

    [SkippableFact]
    public async Task RedisSlowThenLossyLosesNoWriteClosesNoConnectionKeepsAcknowledgingAndEveryScreenConverges()
    {
        var cluster = fixture.Cluster;
        var e = await cluster.CreateEventAsync(ModerationModes.Open);
        var poll = await ClusterTruth.OpenPollAsync(cluster, e);
        var screens = new List<(string Name, SessionScreen Screen)>
        {
            ("audience on node 1", await ClusterTruth.ScreenAsync(cluster.Nodes[0].BaseUri, e)),
            ("audience on node 2", await ClusterTruth.ScreenAsync(cluster.Nodes[1].BaseUri, e)),
            ("projector on node 2", await ClusterTruth.ScreenAsync(cluster.Nodes[1].BaseUri, e, SessionViews.Projector)),
            ("moderator on node 1", await ClusterTruth.ScreenAsync(cluster.Nodes[0].BaseUri, e, SessionViews.Moderator)),
            ("moderator on node 2", await ClusterTruth.ScreenAsync(cluster.Nodes[1].BaseUri, e, SessionViews.Moderator)),
        };
        var clock = Stopwatch.StartNew();
        var phones = new List<OutboxPhone>();
        for (var i = 0; i < 6; i++)
        {
            phones.Add(await OutboxPhone.ConnectAsync(i, cluster.Nodes[i % 2].BaseUri, e.Keynote, clock));
        }
        // Every connection goes straight to its node: a drop can only come from the server.
        var dropped = new ConcurrentQueue<string>();
        foreach (var (name, client) in screens.Select(s => (s.Name, s.Screen.Client)).Concat(phones.Select(p => ($"phone {p.Index}", p.Client))))
        {
            client.Connection.Reconnecting += ex =>
            {
                dropped.Enqueue($"{name} at {clock.Elapsed.TotalSeconds:F1} s ({ex?.Message ?? "closed by the server"})");
                return Task.CompletedTask;
            };
            client.Connection.Closed += ex =>
            {
                dropped.Enqueue($"{name} closed for good at {clock.Elapsed.TotalSeconds:F1} s ({ex?.Message})");
                return Task.CompletedTask;
            };
        }
        var proxies = cluster.RedisProxies;
        var stop = false;
        try
        {
            var writing = Task.WhenAll(phones.Select(async p =>
            {
                for (var n = 0; !Volatile.Read(ref stop); n++)
                {
                    await p.WriteAsync(poll.Id, 1, Pause, CancellationToken.None, first: n);
                }
            }));
            await TestClient.EventuallyAsync(() => phones.Sum(p => p.Acks.Count) >= 30, "the first writes are acknowledged", TimeSpan.FromSeconds(20));

            // (a) Slow: every byte to and from Redis waits 2 s in each direction, on both nodes.
            var slowFrom = clock.Elapsed;
            foreach (var proxy in proxies)
            {
                proxy.Latency = Latency;
            }
            await Task.Delay(SlowFor);
            foreach (var proxy in proxies)
            {
                proxy.Latency = TimeSpan.Zero;
            }
            var slowTo = clock.Elapsed;

            // (b) Lossy: node 2's link stalls and drops, a second or two at a time.
            var lossyFrom = clock.Elapsed;
            foreach (var (mode, seconds) in Lossy)
            {
                proxies[1].Mode = mode;
                await Task.Delay(TimeSpan.FromSeconds(seconds));
            }
            proxies[1].Mode = FaultMode.Pass;
            var cleanAt = clock.Elapsed;

            // Clean again; the phones finish the write in hand and stop.
            Volatile.Write(ref stop, true);
            await writing.WaitAsync(TimeSpan.FromSeconds(60));
            var lastWrite = clock.Elapsed;
            // Within 2 s, or the test fails below; either way, how long it took goes into the report.
            TimeSpan converged;
            string? stillWrong = null;
            try
            {
                converged = await ClusterTruth.ScreensConvergeAsync(cluster, e.Keynote, poll.Id, screens, Converge);
            }
            catch (Xunit.Sdk.XunitException ex)
            {
                stillWrong = ex.Message;
                try
                {
                    converged = Converge + await ClusterTruth.ScreensConvergeAsync(cluster, e.Keynote, poll.Id, screens, TimeSpan.FromSeconds(30));
                }
                catch (Xunit.Sdk.XunitException)
                {
                    converged = TimeSpan.MaxValue;
                }
            }

            var latencies = phones.SelectMany(p => p.AckLatencies).ToList();
            var slow = latencies.Where(l => l.Sent >= slowFrom && l.Sent < slowTo).Select(l => l.Took).ToList();
            var lossy = latencies.Where(l => l.Sent >= lossyFrom && l.Sent < cleanAt).Select(l => l.Took).ToList();
            var before = latencies.Where(l => l.Sent < slowFrom).Select(l => l.Took).ToList();
            output.WriteLine($"acknowledgement latency p95 (max): before {Ms(P95(before))} ({Ms(Max(before))}) over {before.Count} writes; " +
                $"Redis 2 s slow for {(slowTo - slowFrom).TotalSeconds:F1} s {Ms(P95(slow))} ({Ms(Max(slow))}) over {slow.Count}; " +
                $"node 2's link lossy for {(cleanAt - lossyFrom).TotalSeconds:F1} s {Ms(P95(lossy))} ({Ms(Max(lossy))}) over {lossy.Count}");
            var lossyOnNode2 = phones.Where(p => p.Index % 2 == 1).SelectMany(p => p.AckLatencies)
                .Where(l => l.Sent >= lossyFrom && l.Sent < cleanAt).Select(l => l.Took).ToList();
            output.WriteLine($"while node 2's link was lossy, its own phones: p95 {Ms(P95(lossyOnNode2))} ({Ms(Max(lossyOnNode2))}) over {lossyOnNode2.Count}; " +
                $"slowest writes: {string.Join(", ", phones.SelectMany(p => p.AckLatencies.Select(l => (p.Index, l.Sent, l.Took))).OrderByDescending(l => l.Took).Take(3).Select(l => $"phone {l.Index} at {l.Sent.TotalSeconds:F1} s took {Ms(l.Took)}"))}; " +
                $"phases: slow {slowFrom.TotalSeconds:F1}–{slowTo.TotalSeconds:F1} s, lossy {lossyFrom.TotalSeconds:F1}–{cleanAt.TotalSeconds:F1} s");
            output.WriteLine($"node 2's proxy: {proxies[1].ConnectionsAccepted} connections accepted, {proxies[1].BytesDropped} bytes dropped; " +
                $"node 1's: {proxies[0].ConnectionsAccepted} connections accepted");
            output.WriteLine($"every screen (2 audiences, projector, 2 moderators) equal to the database " +
                $"{(converged == TimeSpan.MaxValue ? "not even 32 s" : $"{(int)converged.TotalMilliseconds} ms")} after the last write " +
                $"(the last one acknowledged {(lastWrite - cleanAt).TotalMilliseconds:F0} ms after the link was clean), without a new write; " +
                $"snapshots re-read after announcements: {string.Join(", ", screens.Select(s => s.Screen.AnnouncedResyncs))}");
            output.WriteLine($"hub connections dropped: {dropped.Count}{(dropped.IsEmpty ? "" : ": " + string.Join("; ", dropped))}");

            await ClusterTruth.VerifyWritesAsync(Case, cluster, e.Keynote, poll.Id, phones, output);
            Assert.Empty(dropped);
            Assert.True(stillWrong is null, stillWrong);
            Assert.All(phones, p => Assert.Contains(p.AckLatencies, l => l.Sent >= slowFrom && l.Sent < slowTo));
            Assert.True(P95(slow) < SlowAckP95,
                $"acknowledgements waited on the slow Redis: p95 {Ms(P95(slow))} over {slow.Count} writes (under {Ms(SlowAckP95)} expected)");
        }
        finally
        {
            Volatile.Write(ref stop, true);
            foreach (var proxy in proxies)
            {
                proxy.Latency = TimeSpan.Zero;
                proxy.Mode = FaultMode.Pass;
            }
            await Task.WhenAll(phones.Select(p => p.DisposeAsync().AsTask()).Concat(screens.Select(s => s.Screen.Client.DisposeAsync().AsTask())));
        }
    }

    private static TimeSpan P95(IReadOnlyList<TimeSpan> values) =>
        values.Count == 0 ? TimeSpan.Zero : values.Order().ElementAt((int)Math.Ceiling(values.Count * 0.95) - 1);

    private static TimeSpan Max(IReadOnlyList<TimeSpan> values) => values.Count == 0 ? TimeSpan.Zero : values.Max();

    private static string Ms(TimeSpan t) => $"{(int)t.TotalMilliseconds} ms";
}
