// @ts-check
// The client modules under test, exposed to the test (window.lh), and a stand-in for connection.js's Live for the
// outbox (with the phone's own question and vote policies): its calls wait until the test answers them, and the test
// decides when it is connected.
import * as connection from '/js/lib/connection.js';
import * as hubClient from '/js/lib/hub-client.js';
import * as outbox from '/js/lib/outbox.js';
import * as sessionState from '/js/lib/session-state.js';
import { storage } from '/js/lib/storage.js';
import { questionOutbox } from '/js/audience/ask.js';
import { sameVote, voteOutbox } from '/js/audience/poll-votes.js';

/** The test page's window: the fakes come first (client-logic-fakes.js), lh is what this module exposes. */
const testWindow = /** @type {any} */ (window);
const { settle } = testWindow.fakes;

function fakeLive({ connected = true } = {}) {
  const listeners = [];
  const live = {
    connected,
    /** @type {Array<{ method: string, payload: any, resolve: (v: any) => void, reject: (e: any) => void, settled: boolean }>} */
    calls: [],
    isConnected: () => live.connected,
    onConnected(fn) { listeners.push(fn); },
    call(method, payload) {
      if (!live.connected) {
        return Promise.reject(connection.offlineError());
      }
      return new Promise((resolve, reject) => {
        const call = { method, payload, settled: false, resolve, reject };
        call.resolve = (v) => { call.settled = true; resolve(v); };
        call.reject = (e) => { call.settled = true; reject(e); };
        live.calls.push(call);
      });
    },
    /** The calls not yet answered. */
    get pending() { return live.calls.filter((c) => !c.settled); },
    /** Answers the first call waiting with a HubResult. */
    async answer(result) {
      live.pending[0].resolve(result);
      await settle();
    },
    async ok(value = {}) {
      await live.answer({ ok: true, value, error: null });
    },
    async error(error) {
      await live.answer({ ok: false, value: null, error });
    },
    /** The connection drops: calls on their way fail as offline. */
    async drop() {
      live.connected = false;
      for (const c of live.pending) {
        c.reject(connection.offlineError());
      }
      await settle();
    },
    async reconnect() {
      live.connected = true;
      for (const fn of listeners) {
        fn();
      }
      await settle();
    },
  };
  return live;
}

testWindow.lh = { connection, hubClient, outbox, questionOutbox, voteOutbox, sameVote, sessionState, storage, fakeLive, settle };
