// Controllable stand-ins for what the client modules take from the browser: the clock and its timers, Math.random,
// WebSocket, the network's online/offline signals, the tab's visibility and the /health/live probe. Loaded as a
// classic script before any module of the test page (Browser/ClientLogic), so the modules run against these.
(() => {
  const realRandom = Math.random;
  const realFetch = window.fetch.bind(window);
  const RS = '\u001e';

  // Resolves in a task of its own, after every microtask (promise chain) pending now has run. A message, not a timer:
  // nested timers are clamped to 4 ms, and advancing the clock a minute runs a few hundred of these.
  const channel = new MessageChannel();
  const settling = [];
  channel.port1.onmessage = () => settling.shift()?.();
  const settle = () => new Promise((resolve) => {
    settling.push(resolve);
    channel.port2.postMessage(null);
  });

  // The clock: Date.now and every timer read it; only advance() moves it.
  const timers = new Map();
  let nextTimer = 1;
  const clock = {
    now: 1_800_000_000_000,
    /** Moves time forward by ms, running each timer due on the way at its own time, in order. */
    async advance(ms) {
      const end = clock.now + ms;
      await settle();
      for (;;) {
        let next = null;
        for (const t of timers.values()) {
          if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) {
            next = t;
          }
        }
        if (!next) {
          break;
        }
        clock.now = Math.max(clock.now, next.at);
        if (next.every) {
          next.at += next.every;
        } else {
          timers.delete(next.id);
        }
        next.fn(...next.args);
        await settle();
      }
      clock.now = end;
      await settle();
    },
    /** The delays (from now) of the one-shot timers waiting, soonest first. */
    pending() {
      return [...timers.values()].filter((t) => !t.every).map((t) => t.at - clock.now).sort((a, b) => a - b);
    },
  };
  const addTimer = (fn, ms, args, repeat) => {
    const delay = Math.max(0, Number(ms) || 0);
    const id = nextTimer++;
    timers.set(id, { id, fn: typeof fn === 'function' ? fn : () => {}, args, at: clock.now + delay, every: repeat ? Math.max(1, delay) : 0 });
    return id;
  };
  window.setTimeout = (fn, ms, ...args) => addTimer(fn, ms, args, false);
  window.setInterval = (fn, ms, ...args) => addTimer(fn, ms, args, true);
  window.clearTimeout = (id) => { timers.delete(id); };
  window.clearInterval = (id) => { timers.delete(id); };
  Date.now = () => clock.now;

  // Randomness: fixed while random.value is a number (0 ≤ value < 1), the real one otherwise.
  const random = { value: null };
  Math.random = () => (typeof random.value === 'number' ? random.value : realRandom());

  // WebSocket. Each socket the page opens is kept; the test plays the server. behaviour decides what a new socket
  // meets without the test's help: 'manual' (nothing), 'accept' (opens and completes the handshake), 'refuse' (fails
  // before opening, like a server that answers HTTP but not the hub), 'hang' (never opens: a silent network).
  const sockets = [];
  const ws = { sockets, behaviour: 'manual', get last() { return sockets[sockets.length - 1]; } };

  class FakeWebSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;

    constructor(url) {
      this.url = String(url);
      this.readyState = 0;
      this.sent = [];
      this.createdAt = clock.now;
      this.closedAt = null;
      this.closedByPage = false;
      this.onopen = null;
      this.onmessage = null;
      this.onerror = null;
      this.onclose = null;
      sockets.push(this);
      const behaviour = ws.behaviour;
      if (behaviour === 'accept') {
        queueMicrotask(() => this.open());
      } else if (behaviour === 'refuse') {
        queueMicrotask(() => this.drop(1006));
      }
    }

    send(data) {
      if (this.readyState !== 1) {
        throw new DOMException('Still in CONNECTING state.', 'InvalidStateError');
      }
      this.sent.push(String(data));
    }

    close() {
      if (this.readyState >= 2) {
        return;
      }
      this.readyState = 3;
      this.closedByPage = true;
      this.closedAt = clock.now;
      queueMicrotask(() => this.onclose?.({ code: 1005, reason: '', wasClean: true }));
    }

    /** The records the page sent, parsed. */
    records() {
      return this.sent.join('').split(RS).filter(Boolean).map((r) => JSON.parse(r));
    }

    // The server's side.
    accept() {
      if (this.readyState !== 0) {
        return;
      }
      this.readyState = 1;
      this.onopen?.({});
    }
    /** Opens and completes the handshake. */
    open() {
      this.accept();
      this.handshake();
    }
    handshake(error) {
      this.raw(JSON.stringify(error ? { error } : {}) + RS);
    }
    /** Sends records, each followed by the separator, in one frame. */
    receive(...messages) {
      this.raw(messages.map((m) => JSON.stringify(m) + RS).join(''));
    }
    raw(text) {
      if (this.readyState === 1) {
        this.onmessage?.({ data: text });
      }
    }
    invoke(target, ...args) {
      this.receive({ type: 1, target, arguments: args });
    }
    complete(invocationId, result, error) {
      this.receive(error ? { type: 3, invocationId, error } : { type: 3, invocationId, result });
    }
    ping() {
      this.receive({ type: 6 });
    }
    /** The connection fails (reset, refused): an error, then the close. */
    drop(code = 1006) {
      if (this.readyState >= 2) {
        return;
      }
      this.readyState = 3;
      this.closedAt = clock.now;
      this.onerror?.({});
      this.onclose?.({ code, reason: '', wasClean: false });
    }
  }
  window.WebSocket = /** @type {any} */ (FakeWebSocket);

  // The network and the tab. probe decides how /health/live answers: 'answer', 'refuse' (fails at once, as when the
  // phone is offline) or 'hang' (nothing comes back until the page aborts it).
  const net = {
    online: true,
    visible: true,
    probe: 'answer',
    probes: [],
    goOffline() {
      net.online = false;
      window.dispatchEvent(new Event('offline'));
    },
    goOnline() {
      net.online = true;
      window.dispatchEvent(new Event('online'));
    },
    setVisible(visible) {
      net.visible = visible;
      document.dispatchEvent(new Event('visibilitychange'));
    },
  };
  Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => net.online });
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (net.visible ? 'visible' : 'hidden') });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => !net.visible });

  window.fetch = (input, init = {}) => {
    const url = typeof input === 'string' ? input : input.url;
    if (!url.endsWith('/health/live')) {
      return realFetch(input, init);
    }
    const probe = { at: clock.now, mode: net.probe, aborted: false };
    net.probes.push(probe);
    if (probe.mode === 'answer') {
      return Promise.resolve(new Response('', { status: 200 }));
    }
    if (probe.mode === 'refuse') {
      return Promise.reject(new TypeError('Failed to fetch'));
    }
    return new Promise((_, reject) => {
      init.signal?.addEventListener('abort', () => {
        probe.aborted = true;
        reject(new DOMException('The operation was aborted.', 'AbortError'));
      });
    });
  };

  window.fakes = { clock, random, ws, net, settle };
})();
