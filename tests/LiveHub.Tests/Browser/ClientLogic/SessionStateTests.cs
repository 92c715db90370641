namespace LiveHub.Tests.Browser.ClientLogic;

/// <summary>
/// js/lib/session-state.js: the session's version stream as one screen sees it. The re-snapshot (JoinSession on the
/// page) is a stand-in whose answers the test gives; session 1 is joined, as the audience sees it unless a test says.
/// </summary>
[Collection(ClientLogicCollection.Name)]
public sealed class SessionStateTests(ClientLogicBrowser browser)
{
    private const string State = """
        const clock = fakes.clock;
        const changes = [];
        const resyncs = [];
        const state = new lh.sessionState.SessionState({
          view: typeof view === 'string' ? view : 'audience',
          resync: (sessionId) => new Promise((resolve, reject) => resyncs.push({ sessionId, resolve, reject })),
          onChange: (c) => changes.push(c.kind + (c.delta ? ' v' + c.delta.version : c.frame ? ' r' + c.frame.version : '')),
        });
        const snapshot = (version, extra = {}) => ({ session: { id: 1, moderation: 'pre' }, version, serverTime: clock.now, questions: [], polls: [], results: [], ...extra });
        const q = (id, status = 'approved', upvotes = 0) => ({ id, sessionId: 1, status, upvotes, createdAt: id, text: 'q' + id });
        const asked = (version, id, status = 'approved') => ({ sessionId: 1, version, question: q(id, status) });
        const ids = () => [...state.questions.keys()].join(' ');
        const answer = async (snap) => { resyncs[resyncs.length - 1].resolve(snap); await lh.settle(); };
        state.begin(1);
        """;

    [SkippableFact]
    public async Task TheNextVersionIsAppliedOnTopOfTheSnapshot()
    {
        var outcome = await browser.RunAsync<string[]>(State, """
            state.load(snapshot(5, { questions: [q(1)] }));
            state.handle('QuestionApproved', asked(6, 2));
            return [String(state.version), ids(), changes.join(', '), String(resyncs.length)];
            """);

        Assert.Equal(["6", "1 2", "snapshot, QuestionApproved v6", "0"], outcome);
    }

    [SkippableFact]
    public async Task AnOldOrRepeatedVersionIsIgnored()
    {
        var outcome = await browser.RunAsync<string[]>(State, """
            state.load(snapshot(5, { questions: [q(1)] }));
            state.handle('QuestionApproved', asked(6, 2));
            state.handle('QuestionDismissed', asked(6, 2, 'dismissed'));
            state.handle('QuestionDismissed', asked(4, 1, 'dismissed'));
            state.handle('QuestionDismissed', asked(5, 1, 'dismissed'));
            return [String(state.version), ids(), changes.join(', '), String(resyncs.length)];
            """);

        Assert.Equal(["6", "1 2", "snapshot, QuestionApproved v6", "0"], outcome);
    }

    [SkippableFact]
    public async Task AGapFetchesOneFreshSnapshotAndTheHeldVersionsAreReplayedOnTopOfIt()
    {
        var outcome = await browser.RunAsync<string[]>(State, """
            state.load(snapshot(5));
            state.handle('QuestionApproved', asked(8, 8));
            state.handle('QuestionApproved', asked(7, 7));
            const during = [String(state.version), ids(), String(resyncs.length), String(resyncs[0].sessionId)];
            await answer(snapshot(6, { questions: [q(6)] }));
            return [...during, String(state.version), ids(), changes.join(', '), String(resyncs.length)];
            """);

        Assert.Equal(
            ["5", "", "1", "1", "8", "6 7 8", "snapshot, snapshot, QuestionApproved v7, QuestionApproved v8", "1"],
            outcome);
    }

    [SkippableFact]
    public async Task VersionsThatArriveBeforeTheSnapshotAreHeldAndOnlyTheNewerOnesReplayed()
    {
        var outcome = await browser.RunAsync<string[]>(State, """
            state.handle('QuestionApproved', asked(5, 5));
            state.handle('QuestionApproved', asked(7, 7));
            state.handle('QuestionApproved', asked(6, 6));
            const before = [String(state.version), String(changes.length)];
            state.load(snapshot(5, { questions: [q(1)] }));
            return [...before, String(state.version), ids(), changes.join(', '), String(resyncs.length)];
            """);

        Assert.Equal(["null", "0", "7", "1 6 7", "snapshot, QuestionApproved v6, QuestionApproved v7", "0"], outcome);
    }

    [SkippableFact]
    public async Task AHeldVersionBeyondTheSnapshotsNextFetchesAnotherSnapshot()
    {
        var outcome = await browser.RunAsync<string[]>(State, """
            state.handle('QuestionApproved', asked(9, 9));
            state.load(snapshot(5));
            const first = [String(state.version), String(resyncs.length)];
            await answer(snapshot(8));
            return [...first, String(state.version), ids(), String(resyncs.length)];
            """);

        Assert.Equal(["5", "1", "9", "9", "1"], outcome);
    }

    [SkippableFact]
    public async Task VersionsOfAnotherSessionAreIgnored()
    {
        var outcome = await browser.RunAsync<string[]>(State, """
            state.load(snapshot(5));
            state.handle('QuestionApproved', { sessionId: 2, version: 6, question: { ...q(2), sessionId: 2 } });
            state.handle('QuestionApproved', { sessionId: 2, version: 9, question: { ...q(3), sessionId: 2 } });
            state.handleAnnouncement({ sessionId: 2, version: 50 });
            state.handleResults({ sessionId: 2, pollId: 3, version: 1 });
            return [String(state.version), ids(), String(resyncs.length), changes.join(', ')];
            """);

        Assert.Equal(["5", "", "0", "snapshot"], outcome);
    }

    [SkippableFact]
    public async Task AnAnnouncedNewerVersionFetchesASnapshotAndAnOlderOrEqualOneDoesNot()
    {
        var counts = await browser.RunAsync<int[]>(State, """
            state.load(snapshot(5));
            state.handleAnnouncement({ sessionId: 1, version: 4 });
            state.handleAnnouncement({ sessionId: 1, version: 5 });
            const quiet = resyncs.length;
            state.handleAnnouncement({ sessionId: 1, version: 7 });
            state.handleAnnouncement({ sessionId: 1, version: 7 });
            const fetching = resyncs.length;
            await answer(snapshot(7));
            return [quiet, fetching, resyncs.length, state.version];
            """);

        Assert.Equal([0, 1, 1, 7], counts);
    }

    [SkippableFact]
    public async Task AnAnnouncementNewerThanTheSnapshotOnItsWayFetchesOnceMore()
    {
        var counts = await browser.RunAsync<int[]>(State, """
            state.load(snapshot(5));
            state.handleAnnouncement({ sessionId: 1, version: 7 });
            // While that snapshot is on its way the session moves on, and the next announcement says so.
            state.handleAnnouncement({ sessionId: 1, version: 9 });
            await answer(snapshot(7));
            const again = resyncs.length;
            await answer(snapshot(9));
            return [again, resyncs.length, state.version];
            """);

        Assert.Equal([2, 2, 9], counts);
    }

    [SkippableFact]
    public async Task AnAnnouncementBeforeTheFirstSnapshotIsHonouredOnceItArrives()
    {
        var counts = await browser.RunAsync<int[]>(State, """
            state.handleAnnouncement({ sessionId: 1, version: 9 });
            const before = resyncs.length;
            state.load(snapshot(5));
            return [before, resyncs.length];
            """);

        Assert.Equal([0, 1], counts);
    }

    [SkippableFact]
    public async Task AReSnapshotShedWithSlowDownIsTriedAgainAfterRetryAfter()
    {
        var outcome = await browser.RunAsync<int[]>("fakes.random.value = 0;", State, """
            state.load(snapshot(5));
            state.handle('QuestionApproved', asked(7, 7));
            resyncs[0].reject({ code: 'slow_down', messageKey: 'error.slow_down', retryable: true, retryAfterSeconds: 4 });
            await clock.advance(3999);
            const before = resyncs.length;
            await clock.advance(1);
            const after = resyncs.length;
            await answer(snapshot(6));
            return [before, after, state.version];
            """);

        Assert.Equal([1, 2, 7], outcome);
    }

    [SkippableFact]
    public async Task AFailedReSnapshotWithoutRetryAfterIsTriedAgainAfterTwoToFourSeconds()
    {
        var outcome = await browser.RunAsync<int[]>("fakes.random.value = 0;", State, """
            state.load(snapshot(5));
            state.handle('QuestionApproved', asked(7, 7));
            resyncs[0].reject(new lh.connection.LiveError('offline', 'error.offline'));
            await clock.advance(1999);
            const before = resyncs.length;
            await clock.advance(1);
            return [before, resyncs.length];
            """);

        Assert.Equal([1, 2], outcome);
    }

    [SkippableFact]
    public async Task AResultsFrameReplacesTheHeldOneOnlyWithAHigherVersion()
    {
        var outcome = await browser.RunAsync<string[]>(State, """
            state.load(snapshot(5, { polls: [{ id: 3, sessionId: 1, status: 'open', resultsVisible: true }] }));
            const frame = (version, votes) => ({ sessionId: 1, pollId: 3, version, votes });
            state.handleResults(frame(2, 10));
            state.handleResults(frame(1, 4));
            state.handleResults(frame(2, 11));
            const kept = state.results.get(3).votes;
            state.handleResults(frame(3, 12));
            return [String(kept), String(state.results.get(3).votes), changes.join(', '), String(state.version)];
            """);

        // Frames are not versioned with the session: they move neither its version nor a re-snapshot.
        Assert.Equal(["10", "12", "snapshot, PollResultsChanged r2, PollResultsChanged r3", "5"], outcome);
    }

    [SkippableFact]
    public async Task AFramePushedWhileTheSnapshotWasOnItsWayIsKeptOnlyWhenNewerThanTheSnapshots()
    {
        var outcome = await browser.RunAsync<string[]>(State, """
            state.handleResults({ sessionId: 1, pollId: 3, version: 5, votes: 'pushed' });
            state.handleResults({ sessionId: 1, pollId: 4, version: 3, votes: 'pushed' });
            const poll = (id) => ({ id, sessionId: 1, status: 'open', resultsVisible: true });
            state.load(snapshot(5, {
              polls: [poll(3), poll(4)],
              results: [{ sessionId: 1, pollId: 3, version: 4, votes: 'snapshot' }, { sessionId: 1, pollId: 4, version: 4, votes: 'snapshot' }],
            }));
            return [state.results.get(3).votes, state.results.get(4).votes];
            """);

        Assert.Equal(["pushed", "snapshot"], outcome);
    }

    [SkippableFact]
    public async Task PollEventsOpenResetAndDeleteAPollAndTheAudienceNeverSeesADraft()
    {
        var outcome = await browser.RunAsync<string[]>(State, """
            state.load(snapshot(5));
            const poll = (status) => ({ id: 3, sessionId: 1, status, resultsVisible: true });
            const polls = () => [...state.polls.values()].map((p) => p.id + ' ' + p.status).join() || '-';
            const seen = [];
            state.handle('PollDrafted', { sessionId: 1, version: 6, poll: poll('draft') });
            seen.push(polls());
            state.handle('PollOpened', { sessionId: 1, version: 7, poll: poll('open') });
            state.handleResults({ sessionId: 1, pollId: 3, version: 1 });
            state.setMyVote({ pollId: 3, choices: [1] });
            seen.push(polls(), String(state.results.size), String(state.myVotes.size));
            state.handle('PollReset', { sessionId: 1, version: 8, poll: poll('open') });
            seen.push(polls(), String(state.results.size), String(state.myVotes.size));
            state.handle('PollDeleted', { sessionId: 1, version: 9, poll: poll('open') });
            return [...seen, polls(), String(state.version)];
            """);

        Assert.Equal(["-", "3 open", "1", "1", "3 open", "0", "0", "-", "9"], outcome);
    }

    [SkippableFact]
    public async Task TheAudienceSeesOnlyApprovedAndAnsweredQuestionsWhileModeratorsSeeThemAll()
    {
        var outcome = await browser.EvaluateAsync<string[]>("""
            async () => {
              const run = (view) => {
                const state = new lh.sessionState.SessionState({ view, resync: () => new Promise(() => {}) });
                const q = (id, status) => ({ id, sessionId: 1, status, upvotes: 0, createdAt: id });
                state.begin(1);
                state.load({ session: { id: 1 }, version: 1, questions: [q(1, 'pending'), q(2, 'approved')] });
                state.handle('QuestionAsked', { sessionId: 1, version: 2, question: q(3, 'pending') });
                state.handle('QuestionApproved', { sessionId: 1, version: 3, question: q(3, 'approved') });
                state.handle('QuestionAnswered', { sessionId: 1, version: 4, question: q(2, 'answered') });
                state.handle('QuestionDismissed', { sessionId: 1, version: 5, question: q(4, 'dismissed') });
                const after = [...state.questions.values()].map((x) => x.id + ' ' + x.status).join(', ');
                state.handle('QuestionDismissed', { sessionId: 1, version: 6, question: q(3, 'dismissed') });
                return after + ' | ' + [...state.questions.values()].map((x) => x.id + ' ' + x.status).join(', ');
              };
              return [run('audience'), run('moderator')];
            }
            """);

        Assert.Equal(
            ["2 answered, 3 approved | 2 answered",
             "1 pending, 2 answered, 3 approved, 4 dismissed | 1 pending, 2 answered, 3 dismissed, 4 dismissed"],
            outcome);
    }

    [SkippableFact]
    public async Task UpvoteCountsModerationAndTheProjectorFollowTheirVersions()
    {
        var outcome = await browser.RunAsync<string[]>(State, """
            state.load(snapshot(5, { questions: [q(1), q(2)], mine: [{ ...q(2), clientId: 'c2' }] }));
            state.handle('UpvotesChanged', { sessionId: 1, version: 6, counts: [{ questionId: 2, upvotes: 4 }, { questionId: 9, upvotes: 1 }] });
            state.handle('ModerationModeChanged', { sessionId: 1, version: 7, moderation: 'post' });
            state.handle('ProjectorChanged', { sessionId: 1, version: 8, mode: 'poll', pollId: 3, showPresence: true });
            return [String(state.questions.get(2).upvotes), String(state.mine.get(2).upvotes), state.session.moderation,
                    state.projectorMode + ' ' + state.projectorPollId + ' ' + state.projectorPresence, String(state.version)];
            """);

        Assert.Equal(["4", "4", "post", "poll 3 true", "8"], outcome);
    }

    [SkippableFact]
    public async Task JoiningAnotherSessionForgetsTheFirstAndItsLateAnswers()
    {
        var outcome = await browser.RunAsync<string[]>(State, """
            state.load(snapshot(5, { questions: [q(1)] }));
            state.handle('QuestionApproved', asked(7, 7));
            state.begin(2);
            // The first session's snapshot arrives after the switch: dropped.
            await answer(snapshot(7, { questions: [q(1), q(7)] }));
            return [String(state.sessionId), String(state.version), ids(), String(state.loaded)];
            """);

        Assert.Equal(["2", "null", "", "false"], outcome);
    }

    [SkippableFact]
    public async Task TheHubsVersionedEventsResultsAndAnnouncementsReachTheStateThroughTheConnection()
    {
        var outcome = await browser.RunAsync<string[]>(State, """
            const live = lh.connection.connect();
            lh.sessionState.followSessionState(live, state);
            const socket = fakes.ws.last;
            socket.open();
            await lh.settle();
            state.load(snapshot(5, { polls: [{ id: 3, sessionId: 1, status: 'open', resultsVisible: true }] }));
            socket.invoke('QuestionApproved', asked(6, 6));
            socket.invoke('PollResultsChanged', { sessionId: 1, pollId: 3, version: 2 });
            socket.invoke('SessionVersionAnnounced', { sessionId: 1, version: 9 });
            return [changes.join(', '), String(resyncs.length)];
            """);

        Assert.Equal(["snapshot, QuestionApproved v6, PollResultsChanged r2", "1"], outcome);
    }
}
