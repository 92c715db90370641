using Microsoft.Playwright;

namespace LiveHub.Tests.Browser.ClientLogic;

/// <summary>
/// js/lib/outbox.js with the phone's question policy (js/audience/ask.js): questions on their way to the server, first
/// in first out, kept in localStorage until the server has them. The connection is a stand-in (lh.fakeLive) whose
/// calls wait for the test's answer.
/// </summary>
[Collection(ClientLogicCollection.Name)]
public sealed class OutboxTests(ClientLogicBrowser browser)
{
    /// <summary>A question outbox for event E1 (see <see cref="OutboxArrange"/>); texts() lists the texts sent.</summary>
    private static string Arrange(bool connected) =>
        OutboxArrange.For(connected, "lh.questionOutbox('E1')", "lh.outbox.E1", "item.text")
        + "const texts = () => live.calls.map((c) => c.payload.text).join(' ');\n";

    private static readonly string Online = Arrange(connected: true);

    private static readonly string Offline = Arrange(connected: false);

    [SkippableFact]
    public async Task AQuestionIsStoredBeforeItIsSentAndCarriesItsClientId()
    {
        var outcome = await browser.RunAsync<string[]>(Online, """
            const storedAtCall = [];
            const call = live.call;
            live.call = (m, p) => { storedAtCall.push(stored().map((i) => i.clientId + ' ' + i.state).join()); return call(m, p); };
            const item = box.add({ sessionId: 4, text: 'Kapan jalan tol dibuka?' });
            const c = live.calls[0];
            return [c.method, JSON.stringify(c.payload) === JSON.stringify({ sessionId: 4, clientId: item.clientId, text: 'Kapan jalan tol dibuka?', authorName: null }) ? 'payload ok' : JSON.stringify(c.payload),
                    storedAtCall[0] === item.clientId + ' sending' ? 'stored first' : storedAtCall[0]];
            """);

        Assert.Equal(["AskQuestion", "payload ok", "stored first"], outcome);
    }

    [SkippableFact]
    public async Task QuestionsAreSentOneAtATimeInTheOrderTheyWereAsked()
    {
        var rounds = await browser.RunAsync<string[]>(Online, """
            box.add({ sessionId: 1, text: 'a' });
            box.add({ sessionId: 1, text: 'b' });
            box.add({ sessionId: 1, text: 'c' });
            await lh.settle();
            const sent = [texts()];
            await live.ok({ id: 1 });
            sent.push(texts());
            await live.ok({ id: 2 });
            sent.push(texts());
            await live.ok({ id: 3 });
            return [...sent, seen.join(', ')];
            """);

        Assert.Equal(["a", "a b", "a b c", "delivered a, delivered b, delivered c"], rounds);
    }

    [SkippableFact]
    public async Task ADeliveredQuestionIsShownForSixSecondsAndThenLeavesTheOutbox()
    {
        var outcome = await browser.RunAsync<string[]>(Online, """
            box.add({ sessionId: 1, text: 'a' });
            await live.ok({ id: 42 });
            const shown = [box.items[0].state, String(box.items[0].questionId), stored()[0].state];
            await clock.advance(5999);
            shown.push(String(box.items.length));
            await clock.advance(1);
            return [...shown, String(box.items.length), String(stored().length)];
            """);

        Assert.Equal(["delivered", "42", "delivered", "1", "0", "0"], outcome);
    }

    [SkippableFact]
    public async Task ARetryableFailureIsResentWithTheSameClientIdAfterTheBackoffAndHoldsTheQuestionsBehindIt()
    {
        var outcome = await browser.RunAsync<string[]>("fakes.random.value = 0;", Online, """
            box.add({ sessionId: 1, text: 'a' });
            box.add({ sessionId: 1, text: 'b' });
            await live.error({ code: 'unavailable', messageKey: 'error.unavailable', retryable: true });
            const waiting = [texts(), stored()[0].state, String(stored()[0].attempts)];
            await clock.advance(999);
            waiting.push(texts());
            await clock.advance(1);
            waiting.push(texts(), String(live.calls[1].payload.clientId === live.calls[0].payload.clientId));
            await live.ok({ id: 1 });
            return [...waiting, texts(), seen.join(', ')];
            """);

        // Back-off after the first failure: 1–2 s (1 s with this jitter); b waits behind a.
        Assert.Equal(["a", "sending", "1", "a", "a a", "true", "a a b", "error a unavailable, delivered a"], outcome);
    }

    [SkippableFact]
    public async Task TheServersRetryAfterIsWaitedOutBeforeTheResend()
    {
        var outcome = await browser.RunAsync<int[]>(Online, """
            box.add({ sessionId: 1, text: 'a' });
            await live.error({ code: 'slow_down', messageKey: 'error.slow_down', retryable: true, retryAfterSeconds: 7 });
            await clock.advance(6999);
            const before = live.calls.length;
            await clock.advance(1);
            return [before, live.calls.length];
            """);

        Assert.Equal([1, 2], outcome);
    }

    [SkippableFact]
    public async Task ACallThatFailsWithoutAnAnswerIsRetriedLikeARetryableError()
    {
        var outcome = await browser.RunAsync<int[]>("fakes.random.value = 0;", Online, """
            box.add({ sessionId: 1, text: 'a' });
            live.pending[0].reject(new lh.connection.LiveError('unavailable', 'error.unavailable', true));
            await clock.advance(999);
            const before = live.calls.length;
            await clock.advance(1);
            return [before, live.calls.length, live.calls[0].payload.clientId === live.calls[1].payload.clientId ? 1 : 0];
            """);

        Assert.Equal([1, 2, 1], outcome);
    }

    [SkippableFact]
    public async Task AFinalErrorFailsTheQuestionLetsTheNextGoAndTryAgainResendsItWithTheSameClientId()
    {
        var outcome = await browser.RunAsync<string[]>(Online, """
            const a = box.add({ sessionId: 1, text: 'a' });
            box.add({ sessionId: 1, text: 'b' });
            await live.error({ code: 'too_long', messageKey: 'error.too_long', retryable: false });
            const failed = [stored()[0].state, stored()[0].error.code, texts()];
            await live.ok({ id: 2 });
            await clock.advance(60000);
            failed.push(texts());
            box.retry(a.clientId);
            await lh.settle();
            return [...failed, texts(), String(live.calls[2].payload.clientId === live.calls[0].payload.clientId), seen.join(', ')];
            """);

        Assert.Equal(["failed", "too_long", "a b", "a b", "a b a", "true", "error a too_long, delivered b"], outcome);
    }

    [SkippableFact]
    public async Task AQuestionTheServerRefusedToReadFailsAndIsNotRetried()
    {
        var outcome = await browser.RunAsync<string[]>(Online, """
            box.add({ sessionId: 1, text: 'a' });
            live.pending[0].reject(new lh.connection.LiveError('invalid', 'error.invalid.request', false, 'Failed to invoke AskQuestion.'));
            await clock.advance(60000);
            return [box.items[0].state, box.items[0].error.code, String(live.calls.length), seen.join(', ')];
            """);

        Assert.Equal(["failed", "invalid", "1", "error a invalid"], outcome);
    }

    [SkippableFact]
    public async Task QuestionsAskedOfflineWaitForTheReconnectAndThenGoInOrder()
    {
        var outcome = await browser.RunAsync<string[]>(Offline, """
            box.add({ sessionId: 1, text: 'a' });
            box.add({ sessionId: 1, text: 'b' });
            await clock.advance(60000);
            const offline = [String(live.calls.length), stored().map((i) => i.text + ' ' + i.state).join(', ')];
            await live.reconnect();
            offline.push(texts());
            await live.ok({ id: 1 });
            return [...offline, texts()];
            """);

        Assert.Equal(["0", "a sending, b sending", "a", "a b"], outcome);
    }

    [SkippableFact]
    public async Task AQuestionCutOffByADropGoesAgainAfterTheReconnectWithTheSameClientId()
    {
        var outcome = await browser.RunAsync<string[]>(Online, """
            box.add({ sessionId: 1, text: 'a' });
            await live.drop();
            await clock.advance(60000);
            const dropped = [String(live.calls.length), box.items[0].state];
            await live.reconnect();
            return [...dropped, String(live.calls.length), String(live.calls[1].payload.clientId === live.calls[0].payload.clientId)];
            """);

        Assert.Equal(["1", "sending", "2", "true"], outcome);
    }

    [SkippableFact]
    public async Task AfterAReloadWhatWasNotAcknowledgedIsResentWithTheSameClientIdAndWhatWasDeliveredIsNot()
    {
        await using var tab = await browser.OpenAsync();
        var before = await tab.RunAsync<string>(ClientLogicBrowser.Script(Online, """
            box.add({ sessionId: 1, text: 'a' });
            await live.ok({ id: 1 });
            return box.add({ sessionId: 1, text: 'b' }).clientId;
            """));

        await ClientLogicBrowser.Tab.ReloadAsync(tab.Page);
        var after = await tab.RunAsync<string[]>(ClientLogicBrowser.Script(Offline, """
            // The page's connection comes up and runs its onConnected listeners.
            await live.reconnect();
            return [box.items.map((i) => i.text).join(' '), texts(), live.calls[0].payload.clientId];
            """));

        Assert.Equal(["b", "b", before], after);
    }

    [SkippableFact]
    public async Task StoredEntriesThatAreNotQuestionsAreLeftOut()
    {
        var kept = await browser.RunAsync<string>("localStorage.setItem('lh.outbox.E1', JSON.stringify([null, 7, { clientId: 5, text: 'x' }, { clientId: 'c1' }, { clientId: 'c2', text: 'kept', sessionId: 1, state: 'sending' }]));", Offline, "return box.items.map((i) => i.text).join(' ');");

        Assert.Equal("kept", kept);
    }

    [SkippableFact]
    public async Task AQuestionTheServerAlreadyHoldsIsMarkedDeliveredAndNotSentAgain()
    {
        var outcome = await browser.RunAsync<string[]>(Offline, """
            const a = box.add({ sessionId: 1, text: 'a' });
            box.add({ sessionId: 1, text: 'b' });
            // The snapshot after the reconnect lists the caller's own questions with their client ids.
            box.match([{ id: 9, clientId: a.clientId, text: 'a' }, { id: 10, clientId: 'someone else' }]);
            await live.reconnect();
            return [box.items.map((i) => i.text + ' ' + i.state).join(', '), String(box.items[0].questionId), texts()];
            """);

        Assert.Equal(["a delivered, b sending", "9", "b"], outcome);
    }

    [SkippableFact]
    public async Task ATabSeesQuestionsAnotherTabQueuedAndWouldSendThemWithTheSameClientId()
    {
        await using var tab = await browser.OpenAsync();
        var other = await tab.OpenPageAsync();
        await other.EvaluateAsync(ClientLogicBrowser.Script(Offline));

        var clientId = await tab.RunAsync<string>(ClientLogicBrowser.Script(Offline, "return box.add({ sessionId: 1, text: 'a' }).clientId;"));
        await other.WaitForFunctionAsync("() => box.items.length === 1");
        var sent = await other.EvaluateAsync<string>("""
            async () => {
              await live.reconnect();
              return live.calls.map((c) => c.payload.text + ' ' + c.payload.clientId).join();
            }
            """);

        // Both tabs may send it: the server is idempotent on the client id, so it is asked once.
        Assert.Equal("a " + clientId, sent);
    }

    [SkippableFact]
    public async Task ATabDoesNotResendAQuestionAnotherTabDelivered()
    {
        await using var tab = await browser.OpenAsync();
        var other = await tab.OpenPageAsync();
        await other.EvaluateAsync(ClientLogicBrowser.Script(Offline));

        await tab.RunAsync(ClientLogicBrowser.Script(Offline, """
            box.add({ sessionId: 1, text: 'a' });
            await live.reconnect();
            await live.ok({ id: 1 });
            """));
        await other.WaitForFunctionAsync("() => box.items.length === 1 && box.items[0].state === 'delivered'");
        var calls = await other.EvaluateAsync<int>("async () => { await live.reconnect(); return live.calls.length; }");

        Assert.Equal(0, calls);
    }

    [SkippableFact]
    public async Task AnotherEventsOutboxInAnotherTabIsNotMixedIn()
    {
        await using var tab = await browser.OpenAsync();
        var other = await tab.OpenPageAsync();
        await tab.RunAsync(ClientLogicBrowser.Script(Offline, """
            box.add({ sessionId: 1, text: 'here' });
            window.storageEvents = 0;
            addEventListener('storage', () => { storageEvents++; });
            """));

        await other.EvaluateAsync("""
            () => {
              const box = lh.outbox.createOutbox(lh.fakeLive({ connected: false }), lh.questionOutbox('E2'));
              box.add({ sessionId: 9, text: 'elsewhere' });
            }
            """);
        await tab.Page.WaitForFunctionAsync("() => storageEvents > 0");
        var texts = await tab.RunAsync<string>("() => box.items.map((i) => i.text).join(' ')");

        Assert.Equal("here", texts);
    }
}
