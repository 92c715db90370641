// @ts-check

/** Jittered exponential back-off: 0.5–1 s, 1–2 s, 2–4 s … capped at 15 s. @param {number} attempt */
export function backoff(attempt) {
  const cap = Math.min(15000, 1000 * 2 ** Math.min(attempt, 10));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

/** Client ids for the outboxes. randomUUID needs a secure context; a venue LAN on plain http has only getRandomValues. */
export function newClientId() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
