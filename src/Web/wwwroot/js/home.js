// @ts-check
// The start page: type the event code (or arrive with ?code=), check it exists, go to the event.
import { api } from '/js/lib/api.js';
import { $, append } from '/js/lib/dom.js';
import { isValidCode, normaliseCode } from '/js/lib/event.js';
import { limits } from '/js/lib/limits.js';
import { applyI18n, errorText, languageSwitch, onLanguageChange, t } from '/js/lib/strings.js';

const form = $('#join-form');
const input = $('#code');
const error = $('#code-error');
const button = $('#join');

applyI18n();
append($('#tools'), languageSwitch());

/** @typedef {string | { messageKey?: string, retryAfterSeconds?: number | null } | null | undefined} Shown */

/** @type {Shown} the error on screen, kept as a key so a language switch translates it too */
let shown = null;

/** @param {Shown} message a string key of this page, or an error from the server */
function showError(message) {
  shown = message;
  error.textContent = message ? (typeof message === 'string' ? t(message, { ...limits }) : errorText(message)) : '';
  error.hidden = !message;
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
}

async function join() {
  const code = normaliseCode(input.value);
  input.value = code;
  if (!isValidCode(code)) {
    showError('home.code_invalid');
    input.focus();
    return;
  }
  showError('');
  button.disabled = true;
  button.textContent = t('home.checking');
  const result = await api('GET', `/api/events/${encodeURIComponent(code)}`);
  button.disabled = false;
  button.textContent = t('home.join');
  if (result.ok) {
    location.assign(`/e/${encodeURIComponent(result.value && result.value.code ? result.value.code : code)}`);
    return;
  }
  showError(result.status === 404 ? { messageKey: 'error.not_found.event' } : result.error);
  input.focus();
}

onLanguageChange(() => {
  showError(shown);
  if (!button.disabled) {
    button.textContent = t('home.join');
  }
});

form.addEventListener('submit', (/** @type {SubmitEvent} */ e) => {
  e.preventDefault();
  join();
});

// The input holds a code's length (the server's, rendered as its maxlength): a code typed or pasted with spaces or dashes
// ("KUP-ANG") loses them at once, so only its characters count.
input.addEventListener('input', () => {
  const code = normaliseCode(input.value);
  if (code !== input.value.toUpperCase()) {
    input.value = code;
  }
  if (!error.hidden) {
    showError('');
  }
});

input.addEventListener('paste', (/** @type {ClipboardEvent} */ e) => {
  e.preventDefault();
  input.value = normaliseCode(e.clipboardData?.getData('text'));
  input.dispatchEvent(new Event('input'));
});

const fromUrl = new URLSearchParams(location.search).get('code');
if (fromUrl) {
  input.value = normaliseCode(fromUrl);
  join();
} else if (window.matchMedia('(pointer: fine)').matches) {
  // On a phone the keyboard would cover the QR hint; on a laptop typing can start at once.
  input.focus();
}
