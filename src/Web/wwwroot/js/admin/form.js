// @ts-check
// The organizer's page builds its forms from these few pieces: a labelled field, inputs, a select, a link, a URL to copy
// and an error line under a form. Also the shapes of the event as /api/admin returns it.
import { el, toast } from '/js/lib/dom.js';
import { adminErrorText, ta } from '/js/admin-i18n.js';

/**
 * @typedef {{ id: number, key: string, name: string, capacity: number | null, code: string | null }} AdminRoom
 * @typedef {{
 *   id: number, key: string, room: string, day: number, start: string, end: string, kind: string, title: string,
 *   speakers: string[], statusOverride: string | null, status: string, moderation: string, polls: number,
 * }} AdminSession
 * @typedef {{
 *   id: number, code: string, name: string, theme: string | null, host: string | null, city: string | null, timeZone: string,
 *   startDate: string | null, endDate: string | null, defaultLanguage: string, languages: string[],
 *   followBrowserLanguage: boolean, rooms: AdminRoom[], sessions: AdminSession[],
 * }} AdminEvent
 * @typedef {{ code?: string, messageKey?: string, message?: string } | null | undefined} ApiError
 */

export const enc = encodeURIComponent;

/** The admin API's address of one event. @param {string} code */
export function eventApi(code) {
  return `/api/admin/events/${enc(code)}`;
}

/** Shows a server error under a form, or hides the line. @param {HTMLElement} node @param {ApiError} error */
export function setError(node, error) {
  node.textContent = error ? adminErrorText(error) : '';
  node.hidden = !error;
}

/** An empty, hidden error line for a form. @param {Record<string, unknown>} [attrs] */
export function errorLine(attrs = {}) {
  return el('p', { class: 'field-error', attrs: { role: 'alert', ...attrs }, props: { hidden: true } });
}

/**
 * A labelled field, with an optional hint the input is described by.
 * @param {string} id @param {string} labelKey @param {HTMLElement} input @param {string} [hintKey]
 */
export function field(id, labelKey, input, hintKey) {
  input.id = id;
  const hint = hintKey ? el('p', { class: 'hint', text: ta(hintKey), attrs: { id: `${id}-hint` } }) : null;
  if (hint) {
    input.setAttribute('aria-describedby', `${id}-hint`);
  }
  return el('div', { class: 'field' }, [el('label', { text: ta(labelKey), attrs: { for: id } }), input, hint]);
}

/** @param {string | null | undefined} value @param {Record<string, unknown>} [attrs] */
export function textInput(value, attrs = {}) {
  return /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'text', autocomplete: 'off', ...attrs }, props: { value: value ?? '' } }));
}

/** @param {Record<string, unknown>} [attrs] @param {number | null} [value] */
export function numberInput(value = null, attrs = {}) {
  return /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'number', min: 1, inputmode: 'numeric', ...attrs }, props: { value: value ?? '' } }));
}

/** @param {Array<[string, string]>} options [value, label] @param {string | null | undefined} value @param {Record<string, unknown>} [attrs] */
export function select(options, value, attrs = {}) {
  const node = /** @type {HTMLSelectElement} */ (el('select', { attrs }));
  for (const [optionValue, label] of options) {
    node.append(el('option', { text: label, attrs: { value: optionValue }, props: { selected: optionValue === value } }));
  }
  return node;
}

/** @param {string} href @param {string} text @param {Record<string, unknown>} [attrs] */
export function link(href, text, attrs = {}) {
  return el('a', { text, attrs: { href, ...attrs } });
}

/** A URL shown as text with a button that copies it. @param {string} url @param {string} testid */
export function copyable(url, testid) {
  const code = el('code', { class: 'admin-url', text: url, attrs: { 'data-testid': testid } });
  const button = el('button', {
    class: 'btn btn-small',
    text: ta('admin.copy'),
    attrs: { type: 'button' },
    on: {
      click: async () => {
        try {
          await navigator.clipboard.writeText(url);
          toast(ta('admin.copied'));
        } catch {
          // No clipboard on plain http: select the text so Ctrl+C works.
          getSelection()?.selectAllChildren(code);
        }
      },
    },
  });
  return el('span', { class: 'admin-copy' }, [code, ' ', button]);
}
