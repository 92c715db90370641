namespace LiveHub.Tests.Browser.ClientLogic;

/// <summary>
/// js/lib/connection.js: the connection that never gives up. The test plays the hub (each socket the page opens), the
/// network (online/offline, the /health/live probe) and time (client-logic-fakes.js); jitter is fixed through Math.random.
/// </summary>
[Collection(ClientLogicCollection.Name)]
public sealed class ConnectionTests(ClientLogicBrowser browser)
{
    /// <summary>connect() with every status change in statuses and every (re)join counted in rejoins.</summary>
    private const string Connect = """
        const statuses = [];
        window.rejoins = 0;
        const live = lh.connection.connect({ onConnected: () => { rejoins++; }, onStatus: (s) => statuses.push(s) });
        const sockets = fakes.ws.sockets;
        const clock = fakes.clock;
        """;

    /// <summary>Connected once (its socket in first), then the connection dropped at clock time dropped.</summary>
    private const string ConnectedThenDropped = Connect + """
        const first = sockets[0];
        first.open();
        await lh.settle();
        const dropped = clock.now;
        first.drop();
        await lh.settle();
        """;

    [SkippableFact]
    public async Task BackoffStartsAtHalfASecondToASecondDoublesAndIsCappedAtFifteenSeconds()
    {
        var bounds = await browser.EvaluateAsync<int[][]>("""
            () => [0, 0.9999999].map((r) => {
              fakes.random.value = r;
              return [0, 1, 2, 3, 4, 5, 10, 50].map((attempt) => lh.connection.backoff(attempt));
            })
            """);

        Assert.Equal([500, 1000, 2000, 4000, 7500, 7500, 7500, 7500], bounds[0]);
        Assert.Equal([1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000], bounds[1]);
    }

    [SkippableFact]
    public async Task BackoffIsJitteredAcrossTheWholeUpperHalfOfEachStep()
    {
        var samples = await browser.EvaluateAsync<int[]>("""
            () => Array.from({ length: 400 }, () => lh.connection.backoff(3))
            """);

        Assert.All(samples, ms => Assert.InRange(ms, 4000, 8000));
        // Spread, not one beat: a hall of phones must not come back together.
        Assert.True(samples.Distinct().Count() > 100, $"only {samples.Distinct().Count()} distinct waits");
        Assert.Contains(samples, ms => ms < 5000);
        Assert.Contains(samples, ms => ms > 7000);
    }

    [SkippableFact]
    public async Task ARejoinShedWithSlowDownWaitsTheServersRetryAfterPlusUpToASecond()
    {
        var waits = await browser.EvaluateAsync<int[]>("""
            () => [0, 0.5, 0.9999].map((r) => {
              fakes.random.value = r;
              return lh.connection.rejoinDelay({ code: 'slow_down', retryable: true, retryAfterSeconds: 5 });
            })
            """);

        Assert.Equal([5000, 5500, 6000], waits);
    }

    [SkippableFact]
    public async Task ARejoinErrorWithoutAUsableRetryAfterWaitsTheBackoffsThirdStep()
    {
        var waits = await browser.EvaluateAsync<int[]>("""
            () => {
              fakes.random.value = 0;
              return [
                null,
                new Error('the connection closed'),
                { code: 'unavailable', retryable: true },
                { code: 'slow_down', retryable: false, retryAfterSeconds: 30 },
                { code: 'slow_down', retryable: true, retryAfterSeconds: null },
              ].map((e) => lh.connection.rejoinDelay(e));
            }
            """);

        Assert.Equal([2000, 2000, 2000, 2000, 2000], waits);
    }

    [SkippableFact]
    public async Task TheFirstConnectIsConnectingUntilTheHandshakeAndThenJoinsOnce()
    {
        var outcome = await browser.RunAsync<string[]>(Connect, """
            const before = [live.status, String(live.isConnected()), String(sockets.length), sockets[0].url];
            sockets[0].accept();
            await lh.settle();
            const opened = live.status;
            sockets[0].handshake();
            await lh.settle();
            return [...before, opened, live.status, String(live.isConnected()), String(rejoins), statuses.join(' ')];
            """);

        Assert.Equal(["connecting", "false", "1", "ws://livehub.test/hub", "connecting", "connected", "true", "1", "connected"], outcome);
    }

    [SkippableFact]
    public async Task ADroppedConnectionIsReconnectingProbesWithinAQuarterSecondAndJoinsAgain()
    {
        var outcome = await browser.RunAsync<string[]>("fakes.random.value = 0.5;", ConnectedThenDropped, """
            const seen = [live.status, String(fakes.net.probes.length)];
            await clock.advance(124);
            seen.push(String(fakes.net.probes.length));
            await clock.advance(1);
            seen.push(String(fakes.net.probes.length), String(sockets.length), String(sockets[1].createdAt - dropped));
            sockets[1].open();
            await lh.settle();
            return [...seen, live.status, String(rejoins), statuses.join(' ')];
            """);

        Assert.Equal(["reconnecting", "0", "0", "1", "2", "125", "connected", "2", "connected reconnecting connected"], outcome);
    }

    [SkippableTheory]
    [InlineData(0.0, new[] { 500, 1000, 2000, 4000, 7500, 7500, 7500 })]
    [InlineData(0.9999999, new[] { 1000, 2000, 4000, 8000, 15000, 15000, 15000 })]
    public async Task AHubThatRefusesIsRetriedAfterTheBackoffSequenceUpToItsCap(double random, int[] gaps)
    {
        var measured = await browser.RunAsync<int[]>($$"""
            fakes.random.value = {{random.ToString(System.Globalization.CultureInfo.InvariantCulture)}};
            """, Connect, """
            sockets[0].open();
            await lh.settle();
            fakes.ws.behaviour = 'refuse';
            sockets[0].drop();
            await clock.advance(70000);
            // From the first socket after the drop: the waits between refused attempts (each after a probe that answered).
            return sockets.slice(2).map((s, i) => s.createdAt - sockets[i + 1].createdAt);
            """);

        Assert.Equal(gaps, measured.Take(gaps.Length));
    }

    [SkippableFact]
    public async Task AfterTenMinutesOfRefusalsItStillTriesEveryFifteenSecondsAndConnectsOnceTheHubAnswers()
    {
        var outcome = await browser.RunAsync<int[]>($$"""
            fakes.random.value = 0.9999999;
            {{ConnectedThenDropped.Replace("first.drop();", "fakes.ws.behaviour = 'refuse'; first.drop();")}}
            await clock.advance(600000);
            const count = sockets.length;
            const lastGap = sockets[count - 1].createdAt - sockets[count - 2].createdAt;
            const offline = live.status === 'offline' ? 1 : 0;
            fakes.ws.behaviour = 'accept';
            const accepting = clock.now;
            while (live.status !== 'connected' && clock.now - accepting < 20000) {
              await clock.advance(250);
            }
            return [count, lastGap, offline, clock.now - accepting, rejoins];
            """);

        Assert.True(outcome[0] > 40, $"only {outcome[0]} sockets in ten minutes");
        Assert.Equal(15000, outcome[1]);
        Assert.Equal(1, outcome[2]);
        Assert.InRange(outcome[3], 0, 15000);
        Assert.Equal(2, outcome[4]);
    }

    [SkippableFact]
    public async Task AHandshakeThatHangsIsAbandonedAfterFourSecondsForAFreshSocketAtOnce()
    {
        var outcome = await browser.RunAsync<string[]>("fakes.ws.behaviour = 'hang';", Connect, """
            await clock.advance(3999);
            const before = [String(sockets.length), String(sockets[0].closedByPage)];
            await clock.advance(1);
            const after = [String(sockets.length), String(sockets[0].closedByPage), String(sockets[1].createdAt - sockets[0].createdAt)];
            await clock.advance(4000);
            return [...before, ...after, String(sockets.length), String(fakes.net.probes.length), live.status];
            """);

        // No probe in between: on a silent network a new socket is the test, and a hung one is not held against the next.
        Assert.Equal(["1", "false", "2", "true", "4000", "3", "0", "connecting"], outcome);
    }

    [SkippableFact]
    public async Task TheHandshakeTimeoutIsThreeTimesTheLastGoodConnectAndAtMostFifteenSeconds()
    {
        var timeouts = await browser.RunAsync<int[]>("fakes.random.value = 0;", Connect, """
            // A socket that connects after ms and then drops.
            const connectsIn = async (ms, socket) => {
              await clock.advance(ms);
              socket.open();
              await lh.settle();
              socket.drop();
              await clock.advance(0);
            };
            // The first connect takes 3 s: the next attempt gets 9 s.
            await connectsIn(3000, sockets[0]);
            await clock.advance(9000);
            const nine = sockets[2].createdAt - sockets[1].createdAt;
            // That one connects in 6 s: 18 s would be next, capped at 15.
            await connectsIn(6000, sockets[2]);
            await clock.advance(15000);
            return [nine, sockets[4].createdAt - sockets[3].createdAt, sockets.length];
            """);

        Assert.Equal([9000, 15000, 5], timeouts);
    }

    [SkippableFact]
    public async Task AProbeNothingAnswersIsAbortedAfterThreeSecondsAndASocketTriedInstead()
    {
        var outcome = await browser.RunAsync<string[]>("""
            fakes.random.value = 0;
            fakes.net.probe = 'hang';
            """, ConnectedThenDropped, """
            await clock.advance(2999);
            const probe = fakes.net.probes[0];
            const before = [String(sockets.length), String(probe.aborted)];
            await clock.advance(1);
            return [...before, String(probe.aborted), String(sockets.length), String(sockets[1].createdAt - dropped)];
            """);

        Assert.Equal(["1", "false", "true", "2", "3000"], outcome);
    }

    [SkippableFact]
    public async Task ARefusedProbeIsRepeatedEveryOneToTwoSecondsWithoutOpeningSockets()
    {
        var outcome = await browser.RunAsync<int[]>("""
            fakes.random.value = 0.5;
            fakes.net.probe = 'refuse';
            """, ConnectedThenDropped, """
            await clock.advance(5000);
            return [sockets.length, ...fakes.net.probes.map((p) => p.at - dropped)];
            """);

        // The first probe a quarter second at most after the drop (here 125 ms), then every 1.5 s with this jitter.
        Assert.Equal([1, 125, 1625, 3125, 4625], outcome);
    }

    [SkippableFact]
    public async Task TheStatusTurnsOfflineAfterTwentySecondsWithoutAConnection()
    {
        var seen = await browser.RunAsync<string[]>("fakes.net.probe = 'refuse';", ConnectedThenDropped, """
            const states = [live.status];
            await clock.advance(20000);
            states.push(live.status);
            await clock.advance(1000);
            states.push(live.status, statuses.join(' '));
            return states;
            """);

        Assert.Equal(["reconnecting", "reconnecting", "offline", "connected reconnecting offline"], seen);
    }

    [SkippableFact]
    public async Task TheBrowsersOfflineSignalShowsAtOnceAndItsOnlineSignalConnectsAtOnce()
    {
        var outcome = await browser.RunAsync<string[]>("fakes.random.value = 0;", Connect, """
            sockets[0].open();
            await lh.settle();
            fakes.net.probe = 'refuse';
            fakes.net.goOffline();
            const atOnce = live.status;
            sockets[0].drop();
            await clock.advance(10000);
            const whileOffline = [live.status, String(sockets.length)];
            fakes.net.probe = 'answer';
            const back = clock.now;
            fakes.net.goOnline();
            await lh.settle();
            const onReturn = [String(sockets.length), String(sockets[1].createdAt - back), live.status];
            sockets[1].open();
            await lh.settle();
            return [atOnce, ...whileOffline, ...onReturn, live.status, statuses.join(' ')];
            """);

        Assert.Equal(["offline", "offline", "1", "2", "0", "reconnecting", "connected", "connected offline reconnecting connected"], outcome);
    }

    [SkippableFact]
    public async Task TheOnlineSignalAbandonsAnAttemptBegunWhileOfflineAndStartsAFreshOne()
    {
        var outcome = await browser.RunAsync<string[]>("fakes.random.value = 0;", ConnectedThenDropped, """
            await clock.advance(0);
            const hung = sockets[1];
            await clock.advance(1000);
            fakes.net.goOffline();
            fakes.net.goOnline();
            await clock.advance(0);
            return [String(hung.closedByPage), String(sockets.length), String(sockets[2].createdAt - hung.createdAt)];
            """);

        Assert.Equal(["true", "3", "1000"], outcome);
    }

    [SkippableFact]
    public async Task TheTabBecomingVisibleCutsTheBackoffShortAndStartsItOver()
    {
        var gaps = await browser.RunAsync<int[]>($$"""
            fakes.random.value = 0.9999999;
            {{ConnectedThenDropped.Replace("first.drop();", "fakes.ws.behaviour = 'refuse'; first.drop();")}}
            // Refused at 250, 1250, 3250 and 7250 ms: the next try waits 8 s.
            await clock.advance(7250);
            const waiting = sockets.length;
            await clock.advance(1000);
            fakes.net.setVisible(false);
            fakes.net.setVisible(true);
            await lh.settle();
            const woke = sockets.length;
            await clock.advance(1000);
            return [waiting, woke, sockets.length, sockets[woke - 1].createdAt - sockets[waiting - 1].createdAt, sockets[woke].createdAt - sockets[woke - 1].createdAt];
            """);

        // Visible again after 1 s of the 8 s wait: a try at once, and the back-off starts over at 1 s.
        Assert.Equal([5, 6, 7, 1000, 1000], gaps);
    }

    [SkippableFact]
    public async Task ARejoinShedWithSlowDownIsTriedAgainAfterRetryAfterOnTheSameConnection()
    {
        var joins = await browser.EvaluateAsync<int[]>("""
            async () => {
              fakes.random.value = 0;
              const clock = fakes.clock;
              let joins = 0;
              const live = lh.connection.connect({
                onConnected: () => {
                  joins++;
                  if (joins === 1) throw { code: 'slow_down', messageKey: 'error.slow_down', retryable: true, retryAfterSeconds: 5 };
                },
              });
              fakes.ws.sockets[0].open();
              await lh.settle();
              const counts = [joins];
              await clock.advance(4999);
              counts.push(joins);
              await clock.advance(1);
              counts.push(joins);
              // Nothing more while the connection stays up (the server's 10 s timeout not yet reached).
              await clock.advance(4000);
              counts.push(joins, fakes.ws.sockets.length, live.isConnected() ? 1 : 0);
              return counts;
            }
            """);

        Assert.Equal([1, 1, 2, 2, 1, 1], joins);
    }

    [SkippableFact]
    public async Task AFailedRejoinKeepsBeingRetriedForAsLongAsItFails()
    {
        var times = await browser.EvaluateAsync<int[]>("""
            async () => {
              fakes.random.value = 0;
              const clock = fakes.clock;
              const at = [];
              lh.connection.connect({
                onConnected: () => {
                  at.push(clock.now);
                  if (at.length < 4) throw new Error('the join failed');
                },
              });
              const start = clock.now;
              fakes.ws.sockets[0].open();
              await clock.advance(9000);
              return at.map((t) => t - start);
            }
            """);

        Assert.Equal([0, 2000, 4000, 6000], times);
    }

    [SkippableFact]
    public async Task HandlersRegisteredOnceHearEveryConnectionAfterAReconnect()
    {
        var heard = await browser.RunAsync<string[]>("""
            fakes.random.value = 0;
            const got = [];
            """, Connect, """
            live.on('QuestionApproved', (q) => got.push(q.id + ' at ' + live.lastMessageAt));
            sockets[0].open();
            await lh.settle();
            sockets[0].invoke('QuestionApproved', { id: 1 });
            sockets[0].drop();
            await clock.advance(500);
            sockets[1].open();
            await lh.settle();
            sockets[1].invoke('QuestionApproved', { id: 2 });
            return got.map((g) => g.replace(String(clock.now), 'now').replace(String(clock.now - 500), 'before'));
            """);

        Assert.Equal(["1 at before", "2 at now"], heard);
    }

    [SkippableFact]
    public async Task ACallWithoutAConnectionFailsAsOfflineAndRequestReturnsItAsAResult()
    {
        var outcome = await browser.RunAsync<string[]>(Connect, """
            let thrown;
            try { await live.call('AskQuestion', {}); } catch (e) { thrown = e; }
            const result = await live.request('AskQuestion', {});
            return [thrown.constructor.name, thrown.code, String(thrown.retryable), JSON.stringify(result), String(sockets[0].sent.length)];
            """);

        Assert.Equal(
            ["LiveError", "offline", "true",
             """{"ok":false,"value":null,"error":{"code":"offline","messageKey":"error.offline","retryable":true}}""", "0"],
            outcome);
    }

    [SkippableFact]
    public async Task ACallTheServerRefusesIsAFinalInvalidErrorAndOneCutOffByADropIsOffline()
    {
        var outcome = await browser.RunAsync<string[]>(Connect, """
            sockets[0].open();
            await lh.settle();
            const refused = live.request('AskQuestion', 'wrong');
            sockets[0].complete('1', null, 'Failed to invoke AskQuestion.');
            const first = await refused;
            const cut = live.call('AskQuestion', {}).catch((e) => e);
            await lh.settle();
            sockets[0].drop();
            const second = await cut;
            return [JSON.stringify(first), second.code, String(second.retryable)];
            """);

        Assert.Equal(
            ["""{"ok":false,"value":null,"error":{"code":"invalid","messageKey":"error.invalid.request","retryable":false,"message":"Failed to invoke AskQuestion."}}""",
             "offline", "true"],
            outcome);
    }

    [SkippableFact]
    public async Task AStoppedConnectionTriesNoMore()
    {
        var count = await browser.RunAsync<int[]>("fakes.ws.behaviour = 'refuse';", Connect, """
            await clock.advance(500);
            const before = sockets.length;
            await live.stop();
            await clock.advance(120000);
            return [before, sockets.length, fakes.net.probes.length];
            """);

        Assert.Equal(count[0], count[1]);
        Assert.True(count[2] <= 1, $"{count[2]} probes after stop");
    }

    [SkippableFact]
    public async Task AnOfflineSignalWhileTheSocketStaysUpChangesOnlyTheStatus()
    {
        var outcome = await browser.RunAsync<string[]>(Connect, """
            sockets[0].open();
            await lh.settle();
            fakes.net.goOffline();
            const offline = live.status;
            fakes.net.goOnline();
            await clock.advance(1000);
            return [offline, live.status, String(sockets.length), String(fakes.net.probes.length), String(rejoins)];
            """);

        Assert.Equal(["offline", "connected", "1", "0", "1"], outcome);
    }

    [SkippableFact]
    public async Task EveryFrameFromTheServerIncludingPingsMarksTheDataFresh()
    {
        var ages = await browser.RunAsync<int[]>(Connect, """
            sockets[0].open();
            await lh.settle();
            await clock.advance(3000);
            const stale = clock.now - live.lastMessageAt;
            sockets[0].ping();
            return [stale, clock.now - live.lastMessageAt];
            """);

        Assert.Equal([3000, 0], ages);
    }

    [SkippableFact]
    public async Task TheBoundStatusElementFollowsTheConnection()
    {
        var states = await browser.RunAsync<string[]>(Connect, """
            const node = document.createElement('p');
            lh.connection.bindStatus(node, live);
            const seen = [node.dataset.state];
            sockets[0].open();
            await lh.settle();
            seen.push(node.dataset.state);
            sockets[0].drop();
            seen.push(node.dataset.state);
            fakes.net.goOffline();
            seen.push(node.dataset.state);
            return seen;
            """);

        Assert.Equal(["connecting", "connected", "reconnecting", "offline"], states);
    }
}
