// @ts-check
// Private browsing or a full quota must never break a page: storage is best effort.

export const storage = {
  /** @param {string} key @param {any} [fallback] */
  get(key, fallback = null) {
    try {
      const raw = localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch {
      return fallback;
    }
  },
  /** @param {string} key @param {any} value */
  set(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* best effort */ }
  },
  /** @param {string} key @returns {string | null} */
  getRaw(key) {
    try { return localStorage.getItem(key); } catch { return null; }
  },
  /** @param {string} key @param {string} value */
  setRaw(key, value) {
    try { localStorage.setItem(key, value); } catch { /* best effort */ }
  },
  /** @param {string} key */
  remove(key) {
    try { localStorage.removeItem(key); } catch { /* best effort */ }
  },
};
