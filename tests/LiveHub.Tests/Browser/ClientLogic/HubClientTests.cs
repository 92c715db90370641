namespace LiveHub.Tests.Browser.ClientLogic;

/// <summary>
/// js/lib/hub-client.js: SignalR's JSON hub protocol over one WebSocket, with the test playing the server
/// (client-logic-fakes.js). Each script opens a client on ws://livehub.test/hub and leaves it as window.hub.
/// </summary>
[Collection(ClientLogicCollection.Name)]
public sealed class HubClientTests(ClientLogicBrowser browser)
{
    /// <summary>A client with a 10 s server timeout and 3 s pings, started; start's outcome is kept in window.started.</summary>
    private const string Start = """
        window.log = [];
        window.hub = lh.hubClient.createHubClient('ws://livehub.test/hub', { serverTimeoutMs: 10000, keepAliveMs: 3000, onActivity: () => log.push('activity') });
        window.started = 'pending';
        hub.start().then(() => { started = 'resolved'; }, (e) => { started = 'rejected: ' + e.message; });
        const socket = fakes.ws.last;
        """;

    private const string Connected = Start + """
        socket.accept();
        socket.handshake();
        await lh.settle();
        """;

    [SkippableFact]
    public async Task TheHandshakeIsTheFirstRecordAndStartResolvesOnlyWhenTheServerAnswersIt()
    {
        var steps = await browser.RunAsync<string[]>(Start, """
            const before = [hub.state, started, socket.url];
            socket.accept();
            await lh.settle();
            const afterOpen = [hub.state, started, JSON.stringify(socket.sent)];
            socket.handshake();
            await lh.settle();
            return [...before, ...afterOpen, hub.state, started];
            """);

        Assert.Equal(
            ["connecting", "pending", "ws://livehub.test/hub",
             "connecting", "pending", "[\"{\\\"protocol\\\":\\\"json\\\",\\\"version\\\":1}\\u001e\"]",
             "connected", "resolved"],
            steps);
    }

    [SkippableFact]
    public async Task AHandshakeErrorRejectsStartAndLeavesTheClientClosed()
    {
        var outcome = await browser.RunAsync<string[]>(Start, """
            socket.accept();
            socket.handshake('The protocol is not supported.');
            await lh.settle();
            return [started, hub.state, String(socket.closedByPage)];
            """);

        Assert.Equal(["rejected: The protocol is not supported.", "closed", "true"], outcome);
    }

    [SkippableFact]
    public async Task ASocketThatFailsBeforeTheHandshakeRejectsStart()
    {
        var outcome = await browser.RunAsync<string[]>(Start, """
            socket.drop(1006);
            await lh.settle();
            return [started, hub.state];
            """);

        Assert.Equal(["rejected: The WebSocket failed.", "closed"], outcome);
    }

    [SkippableFact]
    public async Task RecordsAreSplitOnTheSeparatorWhetherSeveralShareAFrameOrOneSpansTwo()
    {
        var received = await browser.RunAsync<string[]>(Start, """
            const got = [];
            hub.on('QuestionApproved', (q) => got.push('approved ' + q.id));
            hub.on('questionanswered', (q) => got.push('answered ' + q.id));
            socket.accept();
            // The handshake's answer and two invocations in one frame; a third cut in the middle of its JSON.
            socket.raw('{}\u001e{"type":1,"target":"QuestionApproved","arguments":[{"id":1}]}\u001e{"type":1,"target":"QUESTIONANSWERED","arguments":[{"id":2}]}\u001e');
            socket.raw('{"type":1,"target":"QuestionApp');
            const afterHalf = got.length;
            socket.raw('roved","arguments":[{"id":3}]}\u001e');
            await lh.settle();
            return [started, String(afterHalf), ...got];
            """);

        Assert.Equal(["resolved", "2", "approved 1", "answered 2", "approved 3"], received);
    }

    [SkippableFact]
    public async Task InvokeSendsAnInvocationAndEachCompletionAnswersItsOwnCall()
    {
        var outcome = await browser.RunAsync<string[]>(Connected, """
            const results = [];
            hub.invoke('AskQuestion', { text: 'a' }).then((r) => results.push('first ' + r.value));
            hub.invoke('Upvote', 7).then((r) => results.push('second ' + r.value));
            const sent = socket.records().slice(1).map((r) => JSON.stringify(r));
            socket.complete('2', { ok: true, value: 'B' });
            socket.complete('1', { ok: true, value: 'A' });
            await lh.settle();
            return [...sent, ...results];
            """);

        Assert.Equal(
            ["""{"type":1,"invocationId":"1","target":"AskQuestion","arguments":[{"text":"a"}]}""",
             """{"type":1,"invocationId":"2","target":"Upvote","arguments":[7]}""",
             "second B", "first A"],
            outcome);
    }

    [SkippableFact]
    public async Task ACompletionWithAnErrorRejectsWithTheServersRefusal()
    {
        var outcome = await browser.RunAsync<string[]>(Connected, """
            const call = hub.invoke('AskQuestion', 'wrong');
            socket.complete('1', null, 'Failed to invoke AskQuestion due to an error on the server.');
            try { await call; return ['resolved']; }
            catch (e) { return [e.constructor.name, String(e instanceof lh.hubClient.HubCallError), e.message, hub.state]; }
            """);

        Assert.Equal(["HubRefusedError", "true", "Failed to invoke AskQuestion due to an error on the server.", "connected"], outcome);
    }

    [SkippableFact]
    public async Task CallsWaitingWhenTheConnectionDropsFailAndTheCloseHandlersRun()
    {
        var outcome = await browser.RunAsync<string[]>(Connected, """
            const seen = [];
            hub.onclose((e) => seen.push('closed: ' + (e ? e.message : 'no error')));
            const call = hub.invoke('AskQuestion', {}).catch((e) => seen.push(e.constructor.name + ': ' + e.message));
            socket.drop(1006);
            await call;
            return [...seen, hub.state];
            """);

        Assert.Equal(
            // A reset fires the socket's error before its close: the first one ends the connection.
            ["closed: The WebSocket failed.", "HubCallError: The connection closed before the call completed.", "closed"],
            outcome);
    }

    [SkippableFact]
    public async Task ACloseRecordClosesTheClientWithTheServersError()
    {
        var outcome = await browser.RunAsync<string[]>(Connected, """
            const seen = [];
            hub.onclose((e) => seen.push(e.message));
            socket.receive({ type: 7, error: 'Server is shutting down.' });
            await lh.settle();
            return [...seen, hub.state, String(socket.closedByPage)];
            """);

        Assert.Equal(["Server is shutting down.", "closed", "true"], outcome);
    }

    [SkippableFact]
    public async Task SilenceLongerThanTheServerTimeoutClosesTheClientAndAnyFrameIncludingAPingPutsItOff()
    {
        var states = await browser.RunAsync<string[]>(Connected, """
            const seen = [];
            await fakes.clock.advance(9000);
            socket.ping();
            await fakes.clock.advance(9999);
            seen.push(hub.state);
            await fakes.clock.advance(1);
            seen.push(hub.state, String(socket.closedByPage));
            return seen;
            """);

        Assert.Equal(["connected", "closed", "true"], states);
    }

    [SkippableFact]
    public async Task TheClientPingsEveryKeepAliveIntervalAndReportsEveryServerFrameAsActivity()
    {
        var outcome = await browser.RunAsync<int[]>(Connected, """
            await fakes.clock.advance(9000);
            const pings = socket.records().filter((r) => r.type === 6).length;
            const before = log.length;
            socket.ping();
            socket.invoke('UpvotesChanged', {});
            return [pings, before, log.length];
            """);

        // Three pings in 9 s; the handshake's answer was a frame too.
        Assert.Equal([3, 1, 3], outcome);
    }

    [SkippableFact]
    public async Task ARecordThatIsNotJsonClosesTheClient()
    {
        var outcome = await browser.RunAsync<string[]>(Connected, """
            const seen = [];
            hub.onclose((e) => seen.push(e.message));
            socket.raw('<html>\u001e');
            await lh.settle();
            return [...seen, hub.state];
            """);

        Assert.Equal(["The server sent a record that is not JSON.", "closed"], outcome);
    }

    [SkippableFact]
    public async Task InvokeBeforeTheHandshakeRejectsWithoutSendingAnything()
    {
        var outcome = await browser.RunAsync<string[]>(Start, """
            socket.accept();
            try { await hub.invoke('AskQuestion', {}); return ['resolved']; }
            catch (e) { return [e.message, String(socket.records().length)]; }
            """);

        Assert.Equal(["Not connected.", "1"], outcome);
    }

    [SkippableFact]
    public async Task AHandlerThatThrowsDoesNotStopTheOthersOrTheConnection()
    {
        await using var tab = await browser.OpenAsync();

        var outcome = await tab.RunAsync<string[]>(ClientLogicBrowser.Script(Connected, """
            const got = [];
            hub.on('PollOpened', () => { throw new Error('broken handler'); });
            hub.on('PollOpened', (p) => got.push('second ' + p.id));
            socket.invoke('PollOpened', { id: 4 });
            socket.invoke('PollOpened', { id: 5 });
            return [...got, hub.state];
            """));

        Assert.Equal(["second 4", "second 5", "connected"], outcome);
        Assert.Equal(2, tab.Errors.Count(e => e.Contains("a handler of", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task StoppingBeforeTheHandshakeClosesTheSocketRejectsStartAndRunsNoCloseHandler()
    {
        var outcome = await browser.RunAsync<string[]>(Start, """
            const seen = [];
            hub.onclose(() => seen.push('close handler'));
            socket.accept();
            await hub.stop();
            await lh.settle();
            return [started, hub.state, String(socket.closedByPage), ...seen];
            """);

        Assert.Equal(["rejected: The WebSocket closed (1005).", "closed", "true"], outcome);
    }
}
