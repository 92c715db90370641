// @ts-check
// What the server decided for this page, rendered into it as a JSON data block (#lh-page) before any script runs:
// the page, its language and that language's strings, where the other languages' strings are, the fingerprinted
// URLs of the files a script loads itself, the hub's keep-alive interval and the server's input limits.

/**
 * @typedef {object} PageData
 * @property {string} page
 * @property {string} lang
 * @property {Record<string, string>} strings
 * @property {Record<string, string>} languages language → URL of this page's strings in it
 * @property {Record<string, string>} assets path under wwwroot → fingerprinted URL
 * @property {number} keepAliveMs
 * @property {Record<string, unknown>} limits the server's input limits (ClientLimits), as EventSnapshot.limits carries them
 */

/** @returns {PageData} */
function read() {
  /** @type {any} */
  let data = {};
  try {
    data = JSON.parse(document.getElementById('lh-page')?.textContent || '{}');
  } catch { /* a page without data: defaults */ }
  return {
    page: data.page || '',
    lang: data.lang || 'id',
    strings: data.strings || {},
    languages: data.languages || {},
    assets: data.assets || {},
    keepAliveMs: Number(data.keepAliveMs) > 0 ? Number(data.keepAliveMs) : 4000,
    limits: data.limits && typeof data.limits === 'object' ? data.limits : {},
  };
}

export const page = read();

/** The URL to load a file of wwwroot by (fingerprinted, cached for good). @param {string} path e.g. "img/reactions/clap.svg" */
export function assetUrl(path) {
  return page.assets[path] || `/${path}`;
}

/**
 * Adds stylesheets a module needs (the phone's polls) and resolves once they apply, so nothing is drawn unstyled.
 * @param {string[]} paths e.g. ["css/results.css"]
 */
export function loadStyles(paths) {
  return Promise.all(paths.map((path) => new Promise((resolve) => {
    const href = assetUrl(path);
    if (document.querySelector(`link[href="${href}"]`)) {
      resolve(undefined);
      return;
    }
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.onload = () => resolve(undefined);
    link.onerror = () => resolve(undefined); // drawn plain rather than not at all
    document.head.append(link);
  })));
}
