// @ts-check
// Ranking polls on the phone: the options in the person's order, each moved up or down a place with its buttons (no
// dragging: it works the same with a thumb, a keyboard and a screen reader); the order goes with the submit button.
import { announce, el, userText } from '/js/lib/dom.js';
import { t } from '/js/lib/strings.js';
import { sameVote } from '/js/audience/poll-votes.js';

/** @typedef {import('/js/audience/poll-votes.js').Poll} Poll */
/** @typedef {import('/js/audience/poll-votes.js').Votes} Votes */

/** @param {Poll} poll @param {number} position @param {number} step @param {Votes} votes */
function move(poll, position, step, votes) {
  const d = votes.draft(poll);
  const target = position + step;
  if (votes.isLocked(poll) || target < 0 || target >= d.ranking.length) {
    return;
  }
  const order = [...d.ranking];
  [order[position], order[target]] = [order[target], order[position]];
  d.ranking = order;
  announce(t('poll.rank_moved', { label: poll.options[order[target]], position: target + 1 }));
  votes.render();
}

/** @param {Poll} poll @param {number} index @param {'up' | 'down'} way @param {boolean} disabled @param {Votes} votes */
function moveButton(poll, index, way, disabled, votes) {
  const label = poll.options[index];
  return el('button', {
    class: 'btn btn-small rank-move',
    text: way === 'up' ? '▲' : '▼',
    attrs: {
      type: 'button',
      'data-testid': `poll-rank-${way}`,
      'data-fk': `${way}-${index}`,
      'aria-label': t(way === 'up' ? 'poll.rank_up' : 'poll.rank_down', { label }),
      'aria-disabled': disabled ? 'true' : null,
    },
    on: { click: () => move(poll, votes.draft(poll).ranking.indexOf(index), way === 'up' ? -1 : 1, votes) },
  });
}

/** @param {Poll} poll @param {boolean} locked @param {Votes} votes */
export function rankingBody(poll, locked, votes) {
  const d = votes.draft(poll);
  const chosen = votes.chosen(poll);
  const given = chosen && Array.isArray(chosen.ranking) && chosen.ranking.length === poll.options.length ? chosen.ranking : null;
  if (locked && !given) {
    return [];
  }
  const order = locked && given ? given : d.ranking;
  const last = order.length - 1;
  const list = el('ol', { class: 'poll-rank', attrs: { 'aria-labelledby': `poll-${poll.id}-q` } }, order.map((index, position) => (
    el('li', { class: 'poll-rank-item', attrs: { 'data-index': index } }, [
      el('span', { class: 'pos', attrs: { 'aria-hidden': 'true' }, text: String(position + 1) }),
      el('span', { class: 'label' }, [userText(poll.options[index])]),
      locked ? null : el('span', { class: 'moves' }, [
        moveButton(poll, index, 'up', position === 0, votes),
        moveButton(poll, index, 'down', position === last, votes),
      ]),
    ]))));
  /** @type {HTMLElement[]} */
  const parts = [el('p', { class: 'hint', text: t(locked ? 'poll.your_ranking' : 'poll.rank_hint') }), list];
  if (!locked) {
    parts.push(votes.submitButton(poll, {
      disabled: !!chosen && sameVote(chosen, { ranking: d.ranking }),
      onSubmit: () => votes.cast(poll, { ranking: [...d.ranking] }),
    }));
  }
  return parts;
}
