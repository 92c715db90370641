// @ts-check
// Open-text answers: the approved ones for the audience and the screen, every one with its actions for moderators.
import { el, reconcile } from '../lib/dom.js';
import { getLanguage, t } from '../lib/strings.js';

/** @typedef {import('../../../types/protocol').AnswerResult} AnswerResult */

/**
 * @param {import('./format.js').PollView} poll @param {import('./format.js').Variant} variant
 * @param {((answer: AnswerResult, action: import('../../../types/protocol').AnswerAction) => void) | null} onModerate
 * @returns {import('./format.js').Chart}
 */
export function answersList(poll, variant, onModerate) {
  const node = el('ul', { class: 'answers' });
  const empty = el('p', { class: 'results-empty', text: t('poll.no_answers') });
  const wrap = el('div', { class: 'answers-box' }, [node, empty]);
  const limit = variant === 'screen' ? 6 : 200;
  const rank = { pending: 0, approved: 1, dismissed: 2 };
  return {
    node: wrap,
    update(frame) {
      const answers = [...((frame && frame.answers) || [])]
        .sort((a, b) => (variant === 'mod' ? rank[a.status] - rank[b.status] : 0) || b.createdAt - a.createdAt || b.id - a.id)
        .slice(0, limit);
      empty.hidden = answers.length > 0;
      reconcile(node, answers, {
        key: (a) => a.id,
        sig: (a) => JSON.stringify([getLanguage(), a.status, a.text, a.displayName]),
        build: (a) => {
          const children = [
            el('p', { class: 'answer-text', userText: a.text }),
            el('p', { class: 'answer-meta' }, [
              el('span', { class: 'author' }, [a.displayName ? el('bdi', { userText: a.displayName }) : t('question.anonymous')]),
              variant === 'mod' ? el('span', { class: ['badge', `badge-${a.status}`], text: t(`poll.answer.${a.status}`) }) : null,
            ]),
          ];
          if (variant === 'mod' && onModerate) {
            children.push(el('div', { class: 'answer-actions' }, [
              a.status !== 'approved' ? el('button', {
                class: 'btn btn-primary btn-small',
                text: t('action.approve'),
                attrs: { type: 'button', 'data-testid': 'answer-approve', 'data-fk': `approve-${a.id}` },
                on: { click: () => onModerate(a, 'approve') },
              }) : null,
              a.status !== 'dismissed' ? el('button', {
                class: 'btn btn-danger btn-small',
                text: t('action.dismiss'),
                attrs: { type: 'button', 'data-testid': 'answer-dismiss', 'data-fk': `dismiss-${a.id}` },
                on: { click: () => onModerate(a, 'dismiss') },
              }) : null,
            ]));
          }
          return el('li', { class: ['answer', `answer-${a.status}`], attrs: { 'data-testid': 'poll-answer', 'data-answer-id': a.id, 'data-status': a.status } }, children);
        },
      });
      if (variant === 'screen') {
        fitWhole(wrap, node);
      }
    },
  };
}

/**
 * On the projector, the newest answers that fit whole are shown and the rest left out: a cut answer is unreadable
 * from the back of the hall. Measured after layout, again on the next frame (fonts and bars settle).
 * @param {HTMLElement} box @param {HTMLElement} list
 */
function fitWhole(box, list) {
  const fit = () => {
    const items = /** @type {HTMLElement[]} */ ([...list.children]);
    for (const item of items) {
      item.hidden = false;
    }
    const bottom = box.getBoundingClientRect().bottom + 1;
    let past = false;
    for (const item of items) {
      past = past || item.getBoundingClientRect().bottom > bottom;
      item.hidden = past && item !== items[0];
    }
  };
  fit();
  requestAnimationFrame(fit);
}
