// @ts-check
// The moderators' passcode: a new one (typed, or made by the server) replaces the old at once and signs every moderator
// out; it is shown once, in the page's notice, because the server keeps only its hash.
import { api } from '/js/lib/api.js';
import { el } from '/js/lib/dom.js';
import { ta } from '/js/admin-i18n.js';
import { errorLine, eventApi, field, setError } from '/js/admin/form.js';

/**
 * @param {import('/js/admin/form.js').AdminEvent} event
 * @param {(text: string, kind?: string, options?: { reveal?: boolean }) => void} showNotice
 * @returns {HTMLElement}
 */
export function passcodeSection(event, showNotice) {
  const input = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'text', autocomplete: 'new-password', 'data-testid': 'new-passcode' } }));
  const error = errorLine();
  const form = el('form', { attrs: { novalidate: true } }, [
    field('new-passcode', 'admin.passcode.new', input, 'admin.passcode.new_hint'),
    error,
    el('button', { class: 'btn btn-danger', text: ta('admin.passcode.rotate'), attrs: { type: 'submit', 'data-testid': 'rotate-passcode' } }),
  ]);
  form.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    if (!confirm(ta('admin.passcode.confirm'))) {
      return;
    }
    const r = await api('POST', `${eventApi(event.code)}/passcode`, { passcode: input.value.trim() || null });
    if (!r.ok) {
      setError(error, r.error);
      return;
    }
    input.value = '';
    setError(error, null);
    showNotice(ta('admin.passcode.done', { passcode: r.value.passcode }), 'warn', { reveal: true });
  });
  return el('section', { class: 'panel', attrs: { 'aria-labelledby': 'passcode-title' } }, [
    el('h2', { text: ta('admin.passcode.title'), attrs: { id: 'passcode-title' } }),
    el('p', { class: 'hint', text: ta('admin.passcode.help') }),
    form,
  ]);
}
