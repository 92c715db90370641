// @ts-check
// The organizer's delete control for one event: the button stays disabled until the event's code is typed again, and the
// same code goes to the server as the confirmation ({"confirm":"KUPANG"}), so neither a slip nor a stray request deletes.
import { api } from '/js/lib/api.js';
import { el } from '/js/lib/dom.js';
import { ta } from '/js/admin-i18n.js';
import { errorLine, setError } from '/js/admin/form.js';

/** The code as the server compares it: capitals, without spaces or dashes. @param {string} text */
function normalise(text) {
  return text.toUpperCase().replace(/[\s\-_.]+/g, '');
}

/**
 * The "delete the event" panel.
 * @param {{ code: string, name: string }} event
 * @param {(deleted: { code: string, questions: number, votes: number, participants: number }) => void} onDeleted
 * @returns {HTMLElement}
 */
export function deleteEventSection(event, onDeleted) {
  const input = /** @type {HTMLInputElement} */ (el('input', {
    attrs: { type: 'text', id: 'delete-confirm', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', 'data-testid': 'delete-confirm' },
  }));
  const button = /** @type {HTMLButtonElement} */ (el('button', {
    class: 'btn btn-danger',
    text: ta('admin.delete.button'),
    attrs: { type: 'submit', 'data-testid': 'delete-event' },
    props: { disabled: true },
  }));
  const error = errorLine({ 'data-testid': 'delete-error' });
  input.addEventListener('input', () => {
    button.disabled = normalise(input.value) !== event.code;
  });
  const form = el('form', { attrs: { novalidate: true } }, [
    el('div', { class: 'field' }, [
      el('label', { text: ta('admin.delete.confirm_label', { code: event.code }), attrs: { for: 'delete-confirm' } }),
      input,
    ]),
    error,
    button,
  ]);
  form.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    if (normalise(input.value) !== event.code) {
      setError(error, { code: 'invalid', messageKey: 'error.invalid.confirm' });
      input.focus();
      return;
    }
    button.disabled = true;
    const r = await api('DELETE', `/api/admin/events/${encodeURIComponent(event.code)}`, { confirm: input.value.trim() });
    if (!r.ok) {
      button.disabled = false;
      setError(error, r.error);
      return;
    }
    setError(error, null);
    onDeleted(r.value);
  });
  return el('section', { class: 'panel panel-danger', attrs: { 'aria-labelledby': 'delete-title', 'data-testid': 'delete-section' } }, [
    el('h2', { text: ta('admin.delete.title'), attrs: { id: 'delete-title' } }),
    el('p', { class: 'hint', text: ta('admin.delete.help') }),
    form,
  ]);
}
