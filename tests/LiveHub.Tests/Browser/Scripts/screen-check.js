// What a person sees, checked the way a person would look at it. Returns a list of problems (empty when the screen
// is right). Run in the page by ScreenCheck after every step of every browser journey.
(options) => {
  const problems = [];
  const projector = options.projector;
  const say = (kind, node, detail) => {
    const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const where = el ? el.outerHTML.slice(0, 160) : '';
    problems.push(`${kind}: ${detail} at ${where}`);
  };
  const visible = (el) => el && el.checkVisibility({ visibilityProperty: true, opacityProperty: false })
    && !el.closest('.visually-hidden, [aria-hidden="true"] .visually-hidden');
  const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
  const WORDS = /(^|[^\p{L}])(null|undefined|NaN)([^\p{L}]|$)|\[object/u;
  const KEY = /^[a-z][a-z_]*(\.[a-z0-9_]+)+$/;
  const vw = document.documentElement.clientWidth;
  const vh = document.documentElement.clientHeight;

  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const text = node.textContent;
    if (!parent || !text.trim() || parent.closest('script, style, template, noscript')) {
      continue;
    }
    if (BIDI.test(text) && !parent.closest('option, textarea')) {
      // Typed text with a direction control must sit alone in an isolating element, so it cannot reorder the line.
      const bidi = getComputedStyle(parent).unicodeBidi;
      const alone = [...parent.childNodes].every((c) => c === node || (c.nodeType === Node.TEXT_NODE && !c.textContent.trim()));
      if (!['isolate', 'isolate-override', 'plaintext'].includes(bidi) || !alone) {
        say('bidi not isolated', node, JSON.stringify(text.slice(0, 60)));
      }
    }
    if (!visible(parent)) {
      continue;
    }
    if (WORDS.test(text) && !parent.closest('[data-user-content]')) {
      say('stray word', node, JSON.stringify(text.trim().slice(0, 80)));
    }
    if (KEY.test(text.trim())) {
      say('raw string key', node, JSON.stringify(text.trim()));
    }
    if (projector && !parent.closest('[data-scrolls]')) {
      // Word by word: a space hanging at the end of a wrapped line is no cut text.
      const rects = [];
      for (const word of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        rects.push(...range.getClientRects());
        if (rects.length > 2000) {
          break;
        }
      }
      for (const r of rects) {
        if (r.width === 0 || r.height === 0) {
          continue;
        }
        if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) {
          say('text outside the screen', node, `${JSON.stringify(text.trim().slice(0, 40))} at ${Math.round(r.left)},${Math.round(r.top)}-${Math.round(r.right)},${Math.round(r.bottom)} on ${vw}x${vh}`);
          break;
        }
        let clipped = null;
        let clipBox = null;
        for (let a = parent; a && a !== document.body; a = a.parentElement) {
          const style = getComputedStyle(a);
          if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
            const box = a.getBoundingClientRect();
            // A glyph box is taller than a tight line height: a quarter of a line up or down is not a cut line.
            const slack = Math.max(2, r.height * 0.25);
            if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - slack || r.bottom > box.bottom + slack) {
              clipped = a;
              clipBox = box;
              break;
            }
          }
        }
        if (clipped) {
          const at = (b) => `${Math.round(b.left)},${Math.round(b.top)}-${Math.round(b.right)},${Math.round(b.bottom)}`;
          say('text clipped', node, `${JSON.stringify(text.trim().slice(0, 40))} at ${at(r)} by ${clipped.tagName.toLowerCase()}.${clipped.className} at ${at(clipBox)}`);
          break;
        }
      }
    }
  }

  // Nothing scrolls sideways: not the page, and no box whose content is wider than itself.
  const root = document.scrollingElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`page scrolls sideways: ${root.scrollWidth}px content in ${root.clientWidth}px`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el) || el.closest('[data-scrolls], .visually-hidden') || el.matches('svg *')) {
      continue;
    }
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      const style = getComputedStyle(el);
      if (style.display === 'inline' || el.matches('select, input, textarea')) {
        continue;
      }
      const r = el.getBoundingClientRect();
      say('wider than its box', el, `${el.scrollWidth}px content in ${el.clientWidth}px (overflow-x ${style.overflowX}) right edge ${Math.round(r.right)} of ${vw}`);
    }
  }
  return problems.slice(0, 20);
}
