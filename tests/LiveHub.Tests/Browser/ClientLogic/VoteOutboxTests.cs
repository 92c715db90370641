namespace LiveHub.Tests.Browser.ClientLogic;

/// <summary>
/// js/lib/outbox.js with the phone's vote policy (js/audience/poll-votes.js): votes on their way to the server, only the
/// latest answer per poll, kept in localStorage until acknowledged. The connection is a stand-in (lh.fakeLive) whose
/// calls wait for the test's answer.
/// </summary>
[Collection(ClientLogicCollection.Name)]
public sealed class VoteOutboxTests(ClientLogicBrowser browser)
{
    /// <summary>A vote outbox for event E1 (see <see cref="OutboxArrange"/>); sent() lists the votes sent as poll:choices.</summary>
    private static string Arrange(bool connected) =>
        OutboxArrange.For(connected, "lh.voteOutbox('E1')", "lh.votes.E1", "item.pollId + ':' + item.vote.choices")
        + "const sent = () => live.calls.map((c) => c.payload.pollId + ':' + c.payload.choices).join(' ');\n";

    private static readonly string Online = Arrange(connected: true);

    private static readonly string Offline = Arrange(connected: false);

    [SkippableFact]
    public async Task AVoteIsStoredBeforeItIsSentWithItsWholeAnswerAndClientId()
    {
        var outcome = await browser.RunAsync<string[]>(Online, """
            const storedAtCall = [];
            const call = live.call;
            live.call = (m, p) => { storedAtCall.push(stored().length); return call(m, p); };
            const item = box.add({ pollId: 3, sessionId: 1, vote: { ranking: [2, 1, 3], displayName: 'Maria' } });
            const c = live.calls[0];
            const expected = { pollId: 3, clientId: item.clientId, choices: null, rating: null, ranking: [2, 1, 3], text: null, displayName: 'Maria' };
            return [c.method, JSON.stringify(c.payload) === JSON.stringify(expected) ? 'payload ok' : JSON.stringify(c.payload), String(storedAtCall[0])];
            """);

        Assert.Equal(["CastVote", "payload ok", "1"], outcome);
    }

    [SkippableFact]
    public async Task ANewerAnswerReplacesOneNotYetSentUnderANewClientId()
    {
        var outcome = await browser.RunAsync<string[]>(Offline, """
            const first = box.add({ pollId: 3, sessionId: 1, vote: { choices: [1] } });
            const second = box.add({ pollId: 3, sessionId: 1, vote: { choices: [2] } });
            box.add({ pollId: 4, sessionId: 1, vote: { choices: [5] } });
            return [stored().map((i) => i.pollId + ':' + i.vote.choices).join(' '), String(first.clientId !== second.clientId), String(stored()[0].clientId === second.clientId)];
            """);

        Assert.Equal(["3:2 4:5", "true", "true"], outcome);
    }

    [SkippableFact]
    public async Task OnlyOneAnswerPerPollIsOnItsWayAndTheLatestHasTheLastWord()
    {
        var outcome = await browser.RunAsync<string[]>(Online, """
            box.add({ pollId: 3, sessionId: 1, vote: { choices: [1] } });
            box.add({ pollId: 3, sessionId: 1, vote: { choices: [2] } });
            await lh.settle();
            const rounds = [sent()];
            // The first answer lands after the second was given: the second goes next and is the one kept.
            await live.ok({ pollId: 3, choices: [1] });
            rounds.push(sent(), box.items.map((i) => i.vote.choices + ' ' + i.state).join());
            await live.ok({ pollId: 3, choices: [2] });
            return [...rounds, box.items.map((i) => i.vote.choices + ' ' + i.state).join(), seen.join(', ')];
            """);

        Assert.Equal(["3:1", "3:1 3:2", "2 sending", "2 delivered", "delivered 3:2"], outcome);
    }

    [SkippableFact]
    public async Task VotesInDifferentPollsAreSentOneAfterAnotherInTheOrderGiven()
    {
        var outcome = await browser.RunAsync<string[]>(Online, """
            box.add({ pollId: 3, sessionId: 1, vote: { choices: [1] } });
            box.add({ pollId: 4, sessionId: 1, vote: { choices: [2] } });
            await lh.settle();
            const rounds = [sent()];
            await live.ok({ pollId: 3 });
            return [...rounds, sent()];
            """);

        Assert.Equal(["3:1", "3:1 4:2"], outcome);
    }

    [SkippableFact]
    public async Task ARetryableFailureIsResentWithTheSameClientIdAfterTheBackoffWithoutHoldingOtherPolls()
    {
        var outcome = await browser.RunAsync<string[]>("fakes.random.value = 0;", Online, """
            box.add({ pollId: 3, sessionId: 1, vote: { choices: [1] } });
            await live.error({ code: 'unavailable', messageKey: 'error.unavailable', retryable: true });
            // Another poll's vote goes at once, not after this one's wait.
            box.add({ pollId: 4, sessionId: 1, vote: { choices: [2] } });
            await lh.settle();
            const rounds = [sent()];
            await live.ok({ pollId: 4 });
            await clock.advance(999);
            rounds.push(sent());
            await clock.advance(1);
            return [...rounds, sent(), String(live.calls[2].payload.clientId === live.calls[0].payload.clientId), box.forKey(3).error.code, seen.join(', ')];
            """);

        // The retryable refusal is reported (the card says it goes again) and the vote stays.
        Assert.Equal(["3:1 4:2", "3:1 4:2", "3:1 4:2 3:1", "true", "unavailable", "error 3:1 unavailable, delivered 4:2"], outcome);
    }

    [SkippableFact]
    public async Task TheServersRetryAfterIsWaitedOutBeforeTheResend()
    {
        var outcome = await browser.RunAsync<int[]>(Online, """
            box.add({ pollId: 3, sessionId: 1, vote: { choices: [1] } });
            await live.error({ code: 'slow_down', messageKey: 'error.slow_down', retryable: true, retryAfterSeconds: 3 });
            await clock.advance(2999);
            const before = live.calls.length;
            await clock.advance(1);
            return [before, live.calls.length];
            """);

        Assert.Equal([1, 2], outcome);
    }

    [SkippableFact]
    public async Task AFinalErrorDropsTheVoteSaysWhyAndSendsItNoMore()
    {
        var outcome = await browser.RunAsync<string[]>(Online, """
            box.add({ pollId: 3, sessionId: 1, vote: { choices: [1] } });
            await live.error({ code: 'poll_closed', messageKey: 'error.poll_closed', retryable: false });
            await clock.advance(60000);
            await live.reconnect();
            return [String(box.items.length), String(stored().length), String(live.calls.length), seen.join(', ')];
            """);

        Assert.Equal(["0", "0", "1", "error 3:1 poll_closed"], outcome);
    }

    [SkippableFact]
    public async Task AVoteCastOfflineOrCutOffByADropGoesAfterTheReconnectWithTheSameClientId()
    {
        var outcome = await browser.RunAsync<string[]>(Online, """
            box.add({ pollId: 3, sessionId: 1, vote: { choices: [1] } });
            await live.drop();
            const offlineId = box.add({ pollId: 4, sessionId: 1, vote: { choices: [2] } }).clientId;
            await clock.advance(60000);
            const waiting = [sent(), stored().map((i) => i.pollId + ' ' + i.state).join(', ')];
            await live.reconnect();
            waiting.push(sent());
            await live.ok({ pollId: 3 });
            const again = live.calls.slice(1);
            return [...waiting, sent(), String(again[0].payload.clientId === live.calls[0].payload.clientId && again[1].payload.clientId === offlineId)];
            """);

        Assert.Equal(["3:1", "3 sending, 4 sending", "3:1 3:1", "3:1 3:1 4:2", "true"], outcome);
    }

    [SkippableFact]
    public async Task ADeliveredVoteIsShownForSixSecondsAndThenLeavesTheOutbox()
    {
        var outcome = await browser.RunAsync<int[]>(Online, """
            box.add({ pollId: 3, sessionId: 1, vote: { choices: [1] } });
            await live.ok({ pollId: 3 });
            await clock.advance(5999);
            const before = stored().length;
            await clock.advance(1);
            return [before, stored().length, box.items.length];
            """);

        Assert.Equal([1, 0, 0], outcome);
    }

    [SkippableFact]
    public async Task AfterAReloadTheLatestUnacknowledgedAnswerIsResentWithItsClientIdAndADeliveredOneIsNot()
    {
        await using var tab = await browser.OpenAsync();
        var before = await tab.RunAsync<string>(ClientLogicBrowser.Script(Online, """
            box.add({ pollId: 3, sessionId: 1, vote: { choices: [1] } });
            await live.ok({ pollId: 3 });
            return box.add({ pollId: 4, sessionId: 1, vote: { choices: [2] } }).clientId;
            """));

        await ClientLogicBrowser.Tab.ReloadAsync(tab.Page);
        var after = await tab.RunAsync<string[]>(ClientLogicBrowser.Script(Offline, """
            await live.reconnect();
            return [sent(), live.calls[0].payload.clientId];
            """));

        Assert.Equal(["4:2", before], after);
    }

    [SkippableFact]
    public async Task AnAnswerTheServerAlreadyHoldsIsMarkedDeliveredAndADifferentOneIsStillSent()
    {
        var outcome = await browser.RunAsync<string[]>(Offline, """
            box.add({ pollId: 3, sessionId: 1, vote: { choices: [1, 2] } });
            box.add({ pollId: 4, sessionId: 1, vote: { choices: [5] } });
            // The snapshot after the reconnect holds the caller's stored votes (no client ids): compared by answer.
            box.match([{ pollId: 3, choices: [2, 1] }, { pollId: 4, choices: [6] }]);
            await live.reconnect();
            return [box.items.map((i) => i.pollId + ' ' + i.state).join(', '), sent()];
            """);

        Assert.Equal(["3 delivered, 4 sending", "4:5"], outcome);
    }

    [SkippableFact]
    public async Task TwoAnswersAreTheSameOnlyWhenTheirChoicesRatingRankingAndTextAre()
    {
        var same = await browser.EvaluateAsync<bool[]>("""
            () => {
              const s = lh.sameVote;
              return [
                s({ choices: [3, 1] }, { choices: [1, 3] }),
                s({ choices: [1] }, { choices: [1, 2] }),
                s({ ranking: [1, 2, 3] }, { ranking: [1, 2, 3] }),
                s({ ranking: [1, 2, 3] }, { ranking: [2, 1, 3] }),
                s({ rating: 4 }, { rating: 4 }),
                s({ rating: 4 }, { rating: 5 }),
                s({ text: ' Kupang ' }, { text: 'Kupang' }),
                s({ text: 'Kupang' }, { text: 'Kota Kupang' }),
                s(null, { choices: [1] }),
              ];
            }
            """);

        Assert.Equal([true, false, true, false, true, false, true, false, false], same);
    }

    [SkippableFact]
    public async Task ANewerAnswerGivenInAnotherTabReplacesThisTabsOwn()
    {
        await using var tab = await browser.OpenAsync();
        var other = await tab.OpenPageAsync();
        await other.EvaluateAsync(ClientLogicBrowser.Script(Offline, "box.add({ pollId: 3, sessionId: 1, vote: { choices: [1] } });"));
        await tab.Page.WaitForFunctionAsync("() => JSON.parse(localStorage.getItem('lh.votes.E1') || '[]').length === 1");

        var newer = await tab.RunAsync<string>(ClientLogicBrowser.Script(Offline, "return box.add({ pollId: 3, sessionId: 1, vote: { choices: [2] } }).clientId;"));
        await other.WaitForFunctionAsync("() => box.items.length === 1 && String(box.items[0].vote.choices) === '2'");
        var sent = await other.EvaluateAsync<string>("""
            async () => {
              await live.reconnect();
              return live.calls.map((c) => c.payload.choices + ' ' + c.payload.clientId).join();
            }
            """);

        Assert.Equal("2 " + newer, sent);
    }
}
