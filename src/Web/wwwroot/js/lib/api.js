// @ts-check
import { offlineError } from './connection.js';

/**
 * fetch() that answers like a hub call: {ok, value} or {ok:false, error:{code, messageKey}}.
 * @param {string} method @param {string} url @param {unknown} [body]
 * @returns {Promise<{ ok: boolean, status: number, value?: any, error?: any }>}
 */
export async function api(method, url, body) {
  // Every state-changing request speaks JSON, a body or not: the server refuses any other (docs/protocol.md, section 10).
  const writes = method !== 'GET' && method !== 'HEAD';
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: writes ? { Accept: 'application/json', 'Content-Type': 'application/json' } : { Accept: 'application/json' },
      body: writes ? JSON.stringify(body ?? {}) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, status: 0, error: offlineError() };
  }
  let data = null;
  try { data = await response.json(); } catch { /* empty or not JSON */ }
  if (response.ok) {
    return { ok: true, status: response.status, value: data };
  }
  if (data && data.messageKey) {
    return { ok: false, status: response.status, error: data };
  }
  /** @type {Record<number, object>} */
  const fallbacks = {
    404: { code: 'not_found', messageKey: 'error.not_found.event' },
    403: { code: 'forbidden', messageKey: 'error.forbidden' },
    429: { code: 'slow_down', messageKey: 'error.slow_down', retryable: true },
    503: { code: 'unavailable', messageKey: 'error.unavailable', retryable: true },
  };
  return { ok: false, status: response.status, error: fallbacks[response.status] || { code: 'http', messageKey: 'error.generic' } };
}
