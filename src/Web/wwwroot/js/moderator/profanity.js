// @ts-check
// The event's list of words that hold a question for review: edited as one word a line, saved or set back to the default.
import { $, toast } from '/js/lib/dom.js';
import { errorText, t } from '/js/lib/strings.js';

/**
 * @typedef {object} Profanity
 * @property {(event: import('../../../types/protocol').EventSnapshot) => void} load shows the event snapshot's list, unless the moderator is editing it
 * @property {() => void} languageChanged
 */

/**
 * @param {{
 *   live: import('/js/lib/connection.js').Live,
 *   getEvent: () => import('../../../types/protocol').EventSnapshot | null,
 *   failed: (r: { error: import('/js/lib/connection.js').LiveErrorShape }) => Promise<boolean>,
 * }} deps
 * @returns {Profanity}
 */
export function createProfanity({ live, getEvent, failed }) {
  const ui = {
    words: /** @type {HTMLTextAreaElement} */ ($('#profanity-words')),
    error: $('#profanity-error'),
    status: $('#profanity-status'),
    save: $('#profanity-save'),
    reset: $('#profanity-reset'),
  };
  let dirty = false;
  /** @type {import('/js/lib/connection.js').LiveErrorShape | null} */
  let error = null;
  /** @type {{ key: string, count: number } | null} */
  let status = null;

  function show() {
    ui.error.hidden = !error;
    ui.error.textContent = error ? errorText(error) : '';
    ui.status.textContent = status ? t(status.key, { count: status.count }) : '';
  }

  /** @param {string[]} words @param {string} doneKey */
  async function save(words, doneKey) {
    const event = getEvent();
    if (!event || ui.save.getAttribute('aria-busy') === 'true') {
      return;
    }
    ui.save.setAttribute('aria-busy', 'true');
    const r = await live.request('SetProfanityWords', { eventId: event.id, words });
    ui.save.removeAttribute('aria-busy');
    if (!r.ok) {
      if (await failed(r)) {
        return;
      }
      error = r.error;
      status = null;
      show();
      return;
    }
    const list = Array.isArray(r.value) ? r.value : [];
    event.profanityWords = list;
    ui.words.value = list.join('\n');
    dirty = false;
    error = null;
    status = { key: doneKey, count: list.length };
    show();
    toast(t(doneKey, { count: list.length }));
  }

  ui.words.addEventListener('input', () => {
    dirty = true;
    status = null;
    show();
  });
  ui.save.addEventListener('click', () => {
    const words = ui.words.value.split('\n').map((w) => w.trim()).filter(Boolean);
    save(words, 'mod.profanity.saved');
  });
  ui.reset.addEventListener('click', () => save([], 'mod.profanity.reset_done'));

  return {
    load(event) {
      if (!dirty && Array.isArray(event.profanityWords)) {
        ui.words.value = event.profanityWords.join('\n');
      }
    },
    languageChanged: show,
  };
}
