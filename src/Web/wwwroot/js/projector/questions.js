// @ts-check
// The questions screen: the question on screen, as large as fits, with the top approved questions below it; with
// neither, a holding screen that invites questions. Everything is sized to be read whole from the back of the hall.
import { $, el, replace, userText } from '/js/lib/dom.js';
import { fitsWhole, fitText } from '/js/lib/fit.js';
import { replyBlock } from '/js/lib/question.js';
import { byPopular, isPublic } from '/js/lib/session-state.js';
import { formatNumber, getLanguage, t } from '/js/lib/strings.js';

const TOP = 5;

/**
 * @typedef {{ id: number, text: string, authorName?: string | null, upvotes: number, createdAt: number, status: string, reply?: string | null }} Question
 */

/**
 * @typedef {object} QuestionScreen
 * @property {(session: { title: string } | null | undefined, room: { name: string } | null, eventName: string) => void} render
 * @property {() => void} hide another mode is on screen
 * @property {() => void} fit sizes the question on screen and the top list again (the space for them changed)
 */

/**
 * @param {{ state: { questions: Map<number, Question>, onScreenQuestionId: number | null } }} deps state: the session's SessionState
 * @returns {QuestionScreen}
 */
export function createQuestionScreen({ state }) {
  const ui = {
    proj: $('#proj'),
    main: $('#main'),
    sessionTitle: $('#session-title'),
    onScreen: $('#on-screen'),
    top: $('#top'),
    topList: $('#top-list'),
    holding: $('#holding'),
    holdingTitle: $('#holding-title'),
    holdingEvent: $('#holding-event'),
  };
  /** What the question on screen was built from: it is rebuilt (and refitted) only when that changes. */
  let onScreenSig = '';

  /** @param {Question | null | undefined} onScreen */
  function renderOnScreen(onScreen) {
    ui.onScreen.hidden = !onScreen;
    if (!onScreen) {
      delete ui.onScreen.dataset.questionId;
      onScreenSig = '';
      ui.onScreen.replaceChildren();
      return;
    }
    ui.onScreen.dataset.questionId = String(onScreen.id);
    const sig = JSON.stringify([getLanguage(), onScreen.id, onScreen.text, onScreen.authorName, onScreen.upvotes, onScreen.reply]);
    if (onScreenSig === sig) {
      return;
    }
    onScreenSig = sig;
    const reply = replyBlock(onScreen.reply, 'proj-reply');
    reply?.append(el('span', { class: 'proj-reply-elsewhere', text: t('proj.reply_elsewhere') }));
    replace(ui.onScreen,
      el('span', { class: 'label-on-screen', text: t('badge.on_screen') }),
      el('p', { class: 'proj-question-text', attrs: { 'data-testid': 'on-screen-text' } }, [userText(onScreen.text)]),
      el('p', { class: 'proj-question-meta' }, [
        el('span', { class: 'author' }, [onScreen.authorName ? userText(onScreen.authorName) : t('question.anonymous')]),
        el('span', { class: 'votes', text: `▲ ${t('question.upvotes', { count: onScreen.upvotes })}` }),
      ]),
      reply,
    );
  }

  /** @param {Question[]} top */
  function renderTop(top) {
    ui.top.hidden = top.length === 0;
    ui.topList.replaceChildren(...top.map((q) => el('li', { attrs: { 'data-question-id': q.id } }, [
      el('span', { class: 'votes', text: formatNumber(q.upvotes) }),
      el('span', { class: 'text' }, [
        userText(q.text), ' ',
        el('span', { class: 'author' }, ['— ', q.authorName ? userText(q.authorName) : t('question.anonymous')]),
      ]),
    ])));
  }

  /**
   * The question on screen is drawn as large as fits whole with its author line and reply, from the back of the hall:
   * from 5.2 % of the screen's width down to 24 px for the longest question; the top questions take what is left.
   */
  function fit() {
    if (!ui.onScreen.hidden) {
      const range = { min: 24, max: Math.max(48, Math.round(window.innerWidth * 0.052)) };
      ui.onScreen.dataset.reply = 'full';
      let size = fitText(ui.onScreen, '--q-size', range);
      if (!fitsWhole(ui.onScreen) && ui.onScreen.querySelector('.proj-reply')) {
        // A long reply under a long question cannot fit at a size the back row reads: the question keeps the screen and
        // the reply is pointed to on the phones, rather than cut.
        ui.onScreen.dataset.reply = 'elsewhere';
        size = fitText(ui.onScreen, '--q-size', range);
      }
      ui.onScreen.dataset.fit = String(size);
    }
    fitTop();
  }

  /** Shows only the top questions that fit whole below the one on screen; a half-cut line is unreadable from the back. */
  function fitTop() {
    const items = /** @type {HTMLElement[]} */ ([...ui.topList.children]);
    if (ui.top.hidden || !items.length) {
      return;
    }
    for (const li of items) {
      li.hidden = false;
    }
    const limit = ui.top.getBoundingClientRect().bottom + 1;
    let overflow = false;
    for (const li of items) {
      overflow = overflow || li.getBoundingClientRect().bottom > limit;
      li.hidden = overflow;
    }
    ui.top.classList.toggle('none-fit', items[0].hidden);
  }

  window.addEventListener('resize', fit);

  return {
    render(session, room, eventName) {
      ui.sessionTitle.hidden = false;
      ui.sessionTitle.textContent = [room ? room.name : null, session ? session.title : null].filter(Boolean).join(' · ');
      const questions = [...state.questions.values()].filter(isPublic);
      const onScreen = state.onScreenQuestionId ? questions.find((q) => q.id === state.onScreenQuestionId) : null;
      const top = questions.filter((q) => q.status === 'approved' && q !== onScreen).sort(byPopular).slice(0, TOP);
      renderOnScreen(onScreen);
      renderTop(top);
      ui.main.classList.toggle('top-only', !onScreen && top.length > 0);

      const holding = !onScreen && top.length === 0;
      ui.holding.hidden = !holding;
      ui.proj.classList.toggle('holding', holding);
      ui.sessionTitle.hidden = holding;
      if (holding) {
        ui.holdingTitle.textContent = session ? session.title : eventName;
        ui.holdingEvent.textContent = eventName;
      }
      fit();
    },
    hide() {
      for (const node of [ui.onScreen, ui.top, ui.holding, ui.sessionTitle]) {
        node.hidden = true;
      }
      ui.proj.classList.remove('holding');
      ui.main.classList.remove('top-only');
    },
    fit,
  };
}
