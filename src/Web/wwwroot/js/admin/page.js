// @ts-check
// The organizer's page: sign in with the admin key, then create events from JSON, edit their rooms, sessions and
// passcode, and reach every link, QR code, kiosk link, export and report. Everything goes through /api/admin. The parts
// live beside this module (the list of events, one event's panels); this one signs in and out and wires them.
import { api } from '/js/lib/api.js';
import { $ } from '/js/lib/dom.js';
import { applyI18n, languageSwitch, onLanguageChange } from '/js/lib/strings.js';
import { applyAdminI18n, ta } from '/js/admin-i18n.js';
import { createEventDetail } from '/js/admin/detail.js';
import { createEventList } from '/js/admin/events.js';
import { setError } from '/js/admin/form.js';

const ui = {
  notice: $('#notice'),
  signin: $('#signin'),
  signinForm: $('#signin-form'),
  key: /** @type {HTMLInputElement} */ ($('#admin-key')),
  signinError: $('#signin-error'),
  signout: $('#sign-out'),
  app: $('#app'),
};

applyI18n();
applyAdminI18n();
document.title = ta('admin.doc_title');
$('#tools').prepend(...[languageSwitch()].filter((b) => b !== null));

/** The page's notice line; reveal scrolls it into view (a new passcode is shown there once). */
function showNotice(text = '', kind = 'info', { reveal = false } = {}) {
  ui.notice.className = `notice notice-${kind}`;
  ui.notice.textContent = text;
  ui.notice.hidden = !text;
  if (reveal) {
    ui.notice.scrollIntoView({ block: 'nearest' });
  }
}

const list = createEventList({ showNotice, onOpen: (code) => detail.open(code), onSignedOut: showSignIn });
const detail = createEventDetail({ showNotice, loadList: () => list.load(), focusList: () => list.focusFirst() });

onLanguageChange(() => {
  applyAdminI18n();
  document.title = ta('admin.doc_title');
  list.render();
  detail.render();
});

// ------------------------------------------------------------ sign-in

async function checkSignIn() {
  const r = await api('GET', '/api/admin/session');
  if (r.ok && r.value && r.value.isAdmin) {
    await enter();
  } else {
    showSignIn();
    if (!r.ok) {
      setError(ui.signinError, r.error);
    }
  }
}

function showSignIn() {
  ui.signin.hidden = false;
  ui.app.hidden = true;
  ui.signout.hidden = true;
  ui.key.value = '';
  ui.key.focus();
}

ui.signinForm.addEventListener('submit', async (/** @type {SubmitEvent} */ submit) => {
  submit.preventDefault();
  const key = ui.key.value.trim();
  if (!key) {
    ui.key.focus();
    return;
  }
  const button = ui.signinForm.querySelector('button[type="submit"]');
  button.disabled = true;
  const r = await api('POST', '/api/admin/session', { key });
  button.disabled = false;
  if (!r.ok) {
    setError(ui.signinError, r.error);
    ui.key.setAttribute('aria-invalid', 'true');
    ui.key.select();
    return;
  }
  setError(ui.signinError, null);
  ui.key.removeAttribute('aria-invalid');
  await enter();
});

ui.signout.addEventListener('click', async () => {
  await api('DELETE', '/api/admin/session');
  detail.close();
  showSignIn();
});

async function enter() {
  ui.signin.hidden = true;
  ui.app.hidden = false;
  ui.signout.hidden = false;
  await list.load();
  const code = new URLSearchParams(location.hash.slice(1)).get('event');
  if (code) {
    await detail.open(code);
  }
}

checkSignIn();
