// @ts-check
// A small DOM builder and list reconciler. Text only ever goes in as text (textContent or text nodes), and every
// piece of text a person typed is wrapped in an element of its own with dir="auto" (see userText), so a name that
// starts with a right-to-left override can never reorder the interface around it.

/**
 * @typedef {object} ElOptions
 * @property {string | Array<string | false | null | undefined>} [class]
 * @property {unknown} [text] textContent
 * @property {unknown} [userText] textContent typed by a person: isolated with dir="auto"
 * @property {Record<string, unknown>} [attrs]
 * @property {Record<string, unknown>} [data]
 * @property {{ [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void }} [on]
 * @property {Record<string, unknown>} [props]
 */

/** @typedef {Node | string | number | null | undefined | false} Child */

/**
 * Builds an element. `text` sets textContent, `userText` does too and marks the element as isolated user text;
 * string children become text nodes; null, undefined and false children are left out.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag @param {ElOptions} [opts] @param {Child | Child[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, opts = {}, children = []) {
  const node = document.createElement(tag);
  if (opts.class) {
    node.className = Array.isArray(opts.class) ? opts.class.filter(Boolean).join(' ') : opts.class;
  }
  if (opts.text !== undefined && opts.text !== null) {
    node.textContent = String(opts.text);
  }
  if (opts.userText !== undefined && opts.userText !== null) {
    node.textContent = String(opts.userText);
    node.dir = 'auto';
    node.classList.add('ut');
  }
  for (const [name, value] of Object.entries(opts.attrs || {})) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [name, value] of Object.entries(opts.data || {})) {
    if (value !== undefined && value !== null) {
      node.dataset[name] = String(value);
    }
  }
  for (const [type, fn] of Object.entries(opts.on || {})) {
    // Each listener takes the event its key names (the mapped type above); Object.entries forgets the pairing.
    node.addEventListener(type, /** @type {EventListener} */ (fn));
  }
  if (opts.props) {
    Object.assign(node, opts.props);
  }
  append(node, children);
  return node;
}

/** Appends children, leaving out null, undefined and false (replaceChildren would write them as the words "null"…). */
export function append(/** @type {Element} */ node, /** @type {Child | Child[]} */ children) {
  for (const child of Array.isArray(children) ? children : [children]) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** replaceChildren that leaves out null, undefined and false. @param {Element} node @param {...Child} children */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/** Text a person typed (a question, a name, an answer), isolated from the text around it. @param {unknown} text */
export function userText(text, className = '') {
  return el('bdi', { class: className || undefined, userText: text });
}

/** @param {string} selector @param {ParentNode} [root] @returns {any} */
export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** How a rebuilt element finds its focused control again: data-fk (unique in the item) first, then data-testid. */
function focusSelector(/** @type {HTMLElement} */ node) {
  if (node.dataset.fk) {
    return `[data-fk="${CSS.escape(node.dataset.fk)}"]`;
  }
  return node.dataset.testid ? `[data-testid="${CSS.escape(node.dataset.testid)}"]` : null;
}

/**
 * Keyed list update: reuses each item's element, rebuilds it only when its signature changes, and keeps focus on the
 * same control (by data-fk, else data-testid) across a rebuild, so live updates do not steal a keyboard user's place.
 * @template T
 * @param {Element} container
 * @param {T[]} items
 * @param {{ key: (item: T) => unknown, sig: (item: T) => string, build: (item: T, old?: HTMLElement) => HTMLElement }} how
 */
export function reconcile(container, items, { key, sig, build }) {
  /** @type {Map<string, any>} */
  const existing = new Map();
  for (const child of /** @type {HTMLCollectionOf<HTMLElement>} */ (container.children)) {
    if (child.dataset.key !== undefined) {
      existing.set(child.dataset.key, child);
    }
  }
  const keep = new Set();
  /** @type {Element | null} */
  let previous = null;
  for (const item of items) {
    const k = String(key(item));
    const s = sig(item);
    let node = existing.get(k);
    if (!node || node._sig !== s) {
      /** @type {any} */
      const fresh = build(item, node);
      fresh.dataset.key = k;
      fresh._sig = s;
      if (node) {
        const active = /** @type {any} */ (document.activeElement);
        const focusSel = node.contains(active) ? focusSelector(active) : null;
        let selection = null;
        try {
          selection = focusSel && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null;
        } catch { /* inputs without a selection */ }
        node.replaceWith(fresh);
        if (focusSel) {
          const target = fresh.querySelector(focusSel);
          if (target) {
            target.focus();
            if (selection && 'setSelectionRange' in target) {
              try { target.setSelectionRange(selection[0], selection[1]); } catch { /* not a text field */ }
            }
          }
        }
      }
      node = fresh;
    }
    keep.add(node);
    const wanted = previous ? previous.nextSibling : container.firstChild;
    if (wanted !== node) {
      container.insertBefore(node, wanted);
    }
    previous = node;
  }
  for (const node of existing.values()) {
    if (!keep.has(node)) {
      node.remove();
    }
  }
}

/** Screen-reader announcement through one polite live region. @param {string} text */
export function announce(text) {
  let region = document.getElementById('lh-announcer');
  if (!region) {
    region = el('div', { class: 'visually-hidden', attrs: { id: 'lh-announcer', 'aria-live': 'polite', role: 'status' } });
    document.body.append(region);
  }
  const target = region;
  target.textContent = '';
  setTimeout(() => { target.textContent = text; }, 60);
}

/**
 * A short message at the bottom of the screen, optionally with one action (e.g. Undo).
 * @param {string} message
 * @param {{ action?: { label: string, testid?: string, run: () => void }, kind?: string, timeout?: number }} [options]
 */
export function toast(message, { action, kind = 'info', timeout = 6000 } = {}) {
  let host = document.getElementById('lh-toasts');
  if (!host) {
    host = el('div', { class: 'toasts', attrs: { id: 'lh-toasts', 'aria-live': 'polite', role: 'status' } });
    document.body.append(host);
  }
  const item = el('div', { class: ['toast', `toast-${kind}`] }, [el('span', { text: message })]);
  if (action) {
    item.append(el('button', {
      class: 'btn btn-small btn-inverse',
      text: action.label,
      attrs: { type: 'button', 'data-testid': action.testid || 'toast-action' },
      on: { click: () => { item.remove(); action.run(); } },
    }));
  }
  host.append(item);
  setTimeout(() => item.remove(), timeout);
  return item;
}
