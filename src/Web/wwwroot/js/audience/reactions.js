// @ts-check
// Reactions on the phone: one tap sends one (rate-limited by the server); the emoji rises from the button at once.
// Refusals are said quietly under the row, never as an alert.
import { $, el } from '/js/lib/dom.js';
import { reactionIcon } from '/js/lib/reactions.js';
import { errorText, getLanguage, has, t } from '/js/lib/strings.js';

const DEFAULT_REACTIONS = { clap: '👏', heart: '❤️', laugh: '😂', wow: '😮', think: '🤔', up: '👍' };

/** @param {import('/js/audience.js').AudiencePage} page the phone page's shared context (js/audience.js) */
export function createReactions(page) {
  const ui = { section: $('#reactions'), row: $('#reaction-row'), note: $('#reaction-note') };
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let noteTimer;

  /** @param {string} key */
  function name(key) {
    return has(`reaction.${key}`) ? t(`reaction.${key}`) : key;
  }

  /** @param {string} text */
  function showNote(text) {
    ui.note.textContent = text;
    clearTimeout(noteTimer);
    noteTimer = setTimeout(() => { ui.note.textContent = ''; }, 4000);
  }

  /** @param {string} key @param {HTMLElement} button */
  function floatLocal(key, button) {
    const pop = el('span', { class: 'reaction-pop', attrs: { 'aria-hidden': 'true' } }, [reactionIcon(key)]);
    pop.style.left = `${button.offsetLeft + button.offsetWidth / 2}px`;
    pop.style.top = `${button.offsetTop}px`;
    ui.row.append(pop);
    const done = () => pop.remove();
    pop.addEventListener('animationend', done, { once: true });
    setTimeout(done, 1600);
  }

  /** @param {string} key @param {HTMLElement} button */
  async function send(key, button) {
    if (page.sessionId === null) {
      return;
    }
    floatLocal(key, button);
    const r = await page.live.request('SendReaction', { sessionId: page.sessionId, reaction: key });
    if (!r.ok) {
      showNote(r.error && r.error.code === 'slow_down' ? t('reaction.slow_down') : errorText(r.error));
    }
  }

  // The images come when the row is about to be seen, not with the first load.
  let iconsWanted = false;
  const seen = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      iconsWanted = true;
      seen.disconnect();
      drawIcons();
    }
  }, { rootMargin: '200px' });
  seen.observe(ui.section);

  function render() {
    const session = page.currentSession();
    ui.section.hidden = !session || session.status !== 'live';
    const event = page.event;
    const kinds = (event && event.reactions && Object.keys(event.reactions).length) ? event.reactions : DEFAULT_REACTIONS;
    const sig = JSON.stringify([getLanguage(), kinds]);
    if (ui.row._sig === sig) {
      return;
    }
    ui.row._sig = sig;
    ui.row.replaceChildren(...Object.keys(kinds).map((key) => el('button', {
      class: 'reaction-btn',
      attrs: { type: 'button', 'data-testid': 'reaction', 'data-reaction': key, 'aria-label': name(key), title: name(key) },
      on: { click: (e) => send(key, /** @type {HTMLElement} */ (e.currentTarget)) },
    }, [el('span', { class: 'reaction-emoji' })])));
    drawIcons();
  }

  /** Puts each reaction's image into its button in place (a button with focus keeps it). */
  function drawIcons() {
    if (!iconsWanted) {
      return;
    }
    for (const button of /** @type {NodeListOf<HTMLElement>} */ (ui.row.querySelectorAll('[data-reaction]'))) {
      const placeholder = button.querySelector('span.reaction-emoji');
      if (placeholder && button.dataset.reaction) {
        placeholder.replaceWith(reactionIcon(button.dataset.reaction, 'reaction-emoji'));
      }
    }
  }

  return { render };
}
