// @ts-check
// The organizer's pages (admin and session report). Their strings reach the page with the shared ones, the
// organizer's own on top (src/Web/Strings/organizer.*.json), so ta() is t() with a trim for an empty {detail}.
import { has, t } from '/js/lib/strings.js';

/** An organizer string in the page's language. @param {string} key @param {Record<string, unknown>} [vars] */
export function ta(key, vars = {}) {
  return t(key, vars).replace(/\s+$/, '');
}

/**
 * The text of a server error. Errors about a definition carry the server's (English) detail, which names the field;
 * it is appended where the message has a {detail} slot, so the organizer sees which room or session is wrong.
 * @param {{ messageKey?: string, message?: string } | null | undefined} error
 */
export function adminErrorText(error) {
  const key = error && error.messageKey;
  if (key && has(key)) {
    return ta(key, { detail: error && error.message ? `(${error.message})` : '' });
  }
  return t(key || 'error.generic');
}

/** Repaints static markup after a language switch: data-ta="key" sets the text, data-ta-attr="attr:key;…" attributes. */
export function applyAdminI18n(root = document) {
  for (const node of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-ta]'))) {
    node.textContent = ta(/** @type {string} */ (node.dataset.ta));
  }
  for (const node of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-ta-attr]'))) {
    for (const pair of /** @type {string} */ (node.dataset.taAttr).split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) {
        node.setAttribute(attr, ta(key));
      }
    }
  }
}
