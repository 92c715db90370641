// @ts-check
// One question's card in the moderator's queue: its text (or its editor), badges and labels, reply, merged duplicates,
// and the buttons for what can be done to it in its queue, each one click and visible without hovering.
import { el, userText } from '/js/lib/dom.js';
import { replyBlock } from '/js/lib/question.js';
import { byOldest } from '/js/lib/session-state.js';
import { getLanguage, t } from '/js/lib/strings.js';
import { relativeTime } from '/js/lib/time.js';

/** @typedef {import('../../../types/protocol').QuestionView} QuestionView */
/** @typedef {import('../../../types/protocol').QuestionStatus} QuestionStatus */
/** @typedef {import('../../../types/protocol').QuestionAction} QuestionAction */
/** @typedef {import('./editors.js').Tool} Tool */

/** @type {Record<QuestionStatus, QuestionAction[]>} the actions of each queue */
const ACTIONS = {
  pending: ['approve', 'dismiss', 'show', 'archive'],
  approved: ['show', 'answer', 'dismiss', 'archive'],
  answered: ['restore', 'show', 'archive'],
  dismissed: ['restore', 'archive'],
  archived: ['restore'],
};
/** @type {Record<QuestionStatus, Tool[]>} */
const TOOLS = {
  pending: ['edit', 'reply', 'labels', 'merge'],
  approved: ['edit', 'reply', 'labels', 'merge'],
  answered: ['edit', 'reply', 'labels', 'merge'],
  dismissed: ['edit', 'labels'],
  archived: ['edit', 'labels'],
};
/** @type {Partial<Record<QuestionAction, string>>} */
const STYLE = { approve: 'btn-primary', dismiss: 'btn-danger', show: '', answer: 'btn-ok', restore: 'btn-primary' };

/**
 * @typedef {object} Card
 * @property {(q: QuestionView) => HTMLElement} build
 * @property {(q: QuestionView) => string} sig what the card shows, to tell when to build it again
 * @property {(q: QuestionView, action: QuestionAction, style?: string) => HTMLElement} actionButton
 */

/**
 * @param {{
 *   state: import('/js/lib/session-state.js').SessionState,
 *   editors: import('./editors.js').Editors,
 *   isBusy: (questionId: number) => boolean,
 *   moderate: (q: QuestionView, action: QuestionAction) => void,
 *   getLabelFilter: () => string,
 *   setLabelFilter: (label: string) => void,
 * }} deps
 * @returns {Card}
 */
export function createCard({ state, editors, isBusy, moderate, getLabelFilter, setLabelFilter }) {
  /** @param {QuestionView} q @param {QuestionAction} action */
  function actionButton(q, action, style = '') {
    return el('button', {
      class: ['btn', style],
      text: t(`action.${action}`),
      attrs: { type: 'button', 'data-testid': `action-${action}`, 'aria-disabled': isBusy(q.id) ? 'true' : null },
      on: {
        click: (e) => {
          if (/** @type {HTMLElement} */ (e.currentTarget).getAttribute('aria-disabled') !== 'true') {
            moderate(q, action);
          }
        },
      },
    });
  }

  /** @param {QuestionView} q @param {Tool} tool @param {boolean} open */
  function toolButton(q, tool, open) {
    return el('button', {
      class: ['btn', 'btn-small', open && 'is-open'],
      text: t(`action.${tool}`),
      attrs: {
        type: 'button',
        'data-testid': `action-${tool}`,
        'aria-expanded': tool === 'edit' ? null : (open ? 'true' : 'false'),
        'aria-disabled': isBusy(q.id) ? 'true' : null,
      },
      on: {
        click: (e) => {
          if (/** @type {HTMLElement} */ (e.currentTarget).getAttribute('aria-disabled') === 'true') {
            return;
          }
          if (open) {
            editors.cancel(q, tool);
          } else {
            editors.start(tool, q);
          }
        },
      },
    });
  }

  /** The questions merged into this one (moderators see them under their target). */
  /** @param {QuestionView} q */
  function mergedInto(q) {
    return [...state.questions.values()].filter((x) => x.mergedIntoId === q.id).sort(byOldest);
  }

  /** @param {QuestionView} q */
  function card(q) {
    const onScreen = q.id === state.onScreenQuestionId;
    const editBox = editors.editBox(q);
    const labelFilter = getLabelFilter();
    const body = [];
    body.push(el('div', { class: 'q-badges' }, [
      onScreen ? el('span', { class: 'badge badge-on-screen', text: t('badge.on_screen') }) : null,
      q.flagged && q.status === 'pending'
        ? el('span', { class: 'badge badge-flagged', attrs: { 'data-testid': 'flagged-badge', title: t('mod.flagged_hint') } }, [
          el('span', { attrs: { 'aria-hidden': 'true' }, text: '⚠ ' }), t('mod.flagged'),
        ])
        : null,
      ...(q.labels || []).map((label) => el('button', {
        class: 'label-chip',
        attrs: {
          type: 'button',
          'data-testid': 'label-chip',
          'data-label': label,
          'data-fk': `chip-${label}`,
          'aria-pressed': labelFilter && labelFilter.toLowerCase() === label.toLowerCase() ? 'true' : 'false',
          'aria-label': t('mod.labels.chip', { label }),
        },
        on: { click: () => setLabelFilter(labelFilter.toLowerCase() === label.toLowerCase() ? '' : label) },
      }, [userText(label)])),
    ]));
    if (editBox) {
      body.push(editBox);
    } else {
      body.push(el('p', { class: 'q-text' }, [userText(q.text)]));
    }
    if (!editors.isOpen('reply', q)) {
      body.push(replyBlock(q.reply));
    }
    body.push(el('div', { class: 'q-meta' }, [
      el('span', { class: 'q-id', text: `#${q.id}` }),
      el('span', { attrs: { 'aria-hidden': 'true' }, text: '·' }),
      el('span', { class: 'author' }, [q.authorName ? userText(q.authorName) : t('question.anonymous')]),
      el('span', { attrs: { 'aria-hidden': 'true' }, text: '·' }),
      el('time', { text: relativeTime(q.createdAt), data: { ts: q.createdAt }, attrs: { datetime: new Date(q.createdAt).toISOString() } }),
      el('span', { attrs: { 'aria-hidden': 'true' }, text: '·' }),
      el('span', { text: t('question.upvotes', { count: q.upvotes }) }),
    ]));
    if (q.mergedIntoId) {
      body.push(el('p', {
        class: 'merged-note',
        attrs: { 'data-testid': 'merged-note', 'data-kind': 'source', 'data-target-id': q.mergedIntoId },
        text: t('mod.merged_into', { id: q.mergedIntoId }),
      }));
    }
    const sources = mergedInto(q);
    if (sources.length) {
      body.push(el('div', { class: 'merged-sources' }, [
        el('p', {
          class: 'merged-note',
          attrs: { 'data-testid': 'merged-note', 'data-kind': 'target' },
          text: t('mod.merged_count', { count: sources.length }),
        }),
        el('ul', { class: 'merged-list' }, sources.map((x) => el('li', { class: 'merged-source', attrs: { 'data-question-id': x.id } }, [
          el('span', { class: 'q-id', text: `#${x.id}` }), ' ', userText(x.text), ' ',
          el('span', { class: 'author' }, ['— ', x.authorName ? userText(x.authorName) : t('question.anonymous')]),
        ]))),
      ]));
    }
    if (editBox) {
      body.push(editors.editActions(q));
    } else {
      // The question on screen is taken down from the "on screen" panel, so each control exists once. A merged
      // duplicate stays archived: its votes already went to the target.
      const actions = ACTIONS[q.status].filter((a) => !(onScreen && a === 'show') && !(q.mergedIntoId && a === 'restore'));
      const tools = TOOLS[q.status].filter((a) => !(q.mergedIntoId && a === 'merge'));
      body.push(el('div', { class: 'q-actions' }, actions.map((a) => actionButton(q, a, STYLE[a] ?? ''))));
      body.push(el('div', { class: 'q-tools' }, tools.map((a) => toolButton(q, a,
        a !== 'edit' && editors.isOpen(a, q)))));
    }
    body.push(editors.toolBox(q));
    return el('li', {
      class: ['q-card', 'mod-card', onScreen && 'is-on-screen', isBusy(q.id) && 'is-busy', q.flagged && q.status === 'pending' && 'is-flagged'],
      attrs: {
        'data-testid': 'mod-question',
        'data-question-id': q.id,
        'data-status': q.status,
        'data-flagged': q.flagged ? 'true' : null,
        'data-merged-into': q.mergedIntoId || null,
        'aria-busy': isBusy(q.id) ? 'true' : null,
      },
    }, body);
  }

  /** @param {QuestionView} q */
  function cardSig(q) {
    const sources = mergedInto(q).map((x) => [x.id, x.text, x.authorName]);
    return JSON.stringify([getLanguage(), q.text, q.authorName, q.upvotes, q.status, q.reply, q.labels, q.flagged, q.mergedIntoId,
      sources, q.id === state.onScreenQuestionId, isBusy(q.id),
      getLabelFilter(), editors.sig(q)]);
  }

  return { build: card, sig: cardSig, actionButton };
}
