// @ts-check
// The page's words, in one language. The server renders each page in the language it decides (the event's, or the
// person's own remembered choice) and puts that language's strings for this page into a JSON data block (#lh-page);
// the language switch fetches the other language's strings for the same page and remembers the choice in a cookie
// the server reads on the next page. Server errors carry a messageKey that is looked up here as well.
import { el } from './dom.js';
import { limits } from './limits.js';
import { page } from './page.js';

// The server reads it to render the next page in the same language (CookieNames.Language).
const LANG_COOKIE = 'lh_lang';

let lang = page.lang;
let strings = page.strings;
/** @type {Set<(lang: string) => void>} */
const listeners = new Set();

export function getLanguage() {
  return lang;
}

/** The languages this page can switch to (the server lists them with the URL of their strings). */
export function languages() {
  return Object.keys(page.languages);
}

/**
 * Switches the page to another language: fetches that language's strings for this page, repaints static markup and
 * tells every listener. With remember, the choice is kept (cookie) for the next pages too.
 * @param {string} next
 */
export async function setLanguage(next, { remember = true } = {}) {
  const url = page.languages[next];
  if (!url || next === lang) {
    return;
  }
  if (remember) {
    document.cookie = `${LANG_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
  }
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) {
    return;
  }
  strings = await response.json();
  lang = next;
  applyI18n(document);
  for (const fn of listeners) {
    fn(lang);
  }
}

/** @param {(lang: string) => void} fn */
export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function formatVar(/** @type {unknown} */ value) {
  return typeof value === 'number' ? new Intl.NumberFormat(lang).format(value) : String(value);
}

/**
 * Looks a key up; plural keys pick ".one"/".other" by vars.count. An unknown error key reads as the generic error;
 * any other unknown key is shown as itself, which the browser tests' screen check catches.
 * @param {string} key @param {Record<string, unknown>} [vars]
 */
export function t(key, vars = {}) {
  vars = { ...limits, ...vars }; // a limit by its name too: {joinCodeLength}
  return lookup(key, vars).replace(/\{(\w+)\}/g, (m, name) => (name in vars ? formatVar(vars[name]) : m));
}

/** @param {string} key @param {Record<string, unknown>} vars */
function lookup(key, vars) {
  let s = strings[key];
  if (s === undefined && typeof vars.count === 'number') {
    const form = new Intl.PluralRules(lang).select(vars.count);
    s = strings[`${key}.${form}`] ?? strings[`${key}.other`];
  }
  if (s === undefined) {
    s = key.startsWith('error.') && strings['error.generic'] ? strings['error.generic'] : key;
  }
  return s;
}

/**
 * Like t(), but a variable may be a node (a person's text isolated in its own element, see dom.js userText): the
 * sentence comes back as parts to append, so the translation keeps its word order and the typed text its isolation.
 * @param {string} key @param {Record<string, unknown>} [vars]
 * @returns {Array<string | Node>}
 */
export function tParts(key, vars = {}) {
  vars = { ...limits, ...vars };
  return lookup(key, vars).split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (!name || !(name in vars)) {
      return part;
    }
    const value = vars[name];
    return value instanceof Node ? value : formatVar(value);
  });
}

/** Whether this page has a string for the key. @param {string} key */
export function has(key) {
  return key in strings;
}

/**
 * The translated text of a server or local error; unknown keys get the generic message. The limit a message names
 * ({max}) is the server's; vars overrides it.
 * @param {{ messageKey?: string, retryAfterSeconds?: number | null } | null | undefined} error
 * @param {Record<string, unknown>} [vars]
 */
export function errorText(error, vars = {}) {
  const key = error && error.messageKey;
  if (!key || !has(key)) {
    return t('error.generic');
  }
  let max = limits.questionMaxLength;
  if (key === 'error.name_too_long') {
    max = limits.nameMaxLength;
  } else if (key === 'error.too_many_words') {
    max = limits.wordCloudMaxWords;
  }
  return t(key, { max, seconds: (error && error.retryAfterSeconds) ?? '', ...vars });
}

/**
 * Fills static markup: data-i18n="key" sets the text, data-i18n-attr="placeholder:key;aria-label:key" sets
 * attributes. The server already did this for the first paint; this repaints after a language switch.
 * @param {Document | Element} root
 */
export function applyI18n(root = document) {
  if (root === document) {
    document.documentElement.lang = lang;
  }
  for (const node of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-i18n]'))) {
    node.textContent = t(/** @type {string} */ (node.dataset.i18n));
  }
  for (const node of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-i18n-attr]'))) {
    for (const pair of /** @type {string} */ (node.dataset.i18nAttr).split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) {
        node.setAttribute(attr, t(key));
      }
    }
  }
}

/** A visible button that switches to the other language and remembers the choice; null with only one language. */
export function languageSwitch() {
  const other = () => languages().find((l) => l !== lang);
  if (!other()) {
    return null;
  }
  const button = el('button', { class: 'lang-switch', attrs: { type: 'button', 'data-testid': 'lang-switch' } });
  const paint = () => {
    button.textContent = t('lang.other');
    button.lang = other() || '';
    button.setAttribute('aria-label', t('lang.switch_aria'));
  };
  button.addEventListener('click', () => {
    const next = other();
    if (next) {
      setLanguage(next);
    }
  });
  onLanguageChange(paint);
  paint();
  return button;
}

/** What a page says when it cannot go on (no such event): why, and the way back to the start page. */
export function fatalNotice(/** @type {{ messageKey?: string } | null} */ error) {
  return [
    el('p', { text: errorText(error) }),
    el('p', {}, [el('a', { text: t('home.link'), attrs: { href: '/' } })]),
  ];
}

/** A number in the page's language. @param {number | null | undefined} n @param {Intl.NumberFormatOptions} [options] */
export function formatNumber(n, options) {
  return new Intl.NumberFormat(lang, options).format(n || 0);
}
