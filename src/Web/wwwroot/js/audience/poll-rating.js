// @ts-check
// Rating polls on the phone: one button per value of the poll's scale; a tap sends it.
import { el } from '/js/lib/dom.js';
import { limits } from '/js/lib/limits.js';
import { t } from '/js/lib/strings.js';
import { answerButtonAttrs } from '/js/audience/poll-votes.js';

/** @param {import('/js/audience/poll-votes.js').Poll} poll @param {boolean} locked @param {import('/js/audience/poll-votes.js').Votes} votes */
export function ratingBody(poll, locked, votes) {
  const chosen = votes.chosen(poll);
  const scale = poll.scale || limits.ratingMinScale;
  const buttons = [];
  for (let v = 1; v <= scale; v += 1) {
    const pressed = !!chosen && chosen.rating === v;
    buttons.push(el('button', {
      class: ['poll-rating-btn', pressed && 'is-chosen'],
      text: String(v),
      attrs: {
        ...answerButtonAttrs('poll-rating', `rate-${v}`, pressed, locked),
        'data-value': v,
        'aria-label': t('poll.rating_aria', { value: v, scale }),
      },
      on: { click: () => votes.cast(poll, { rating: v }) },
    }));
  }
  return [
    el('div', { class: ['poll-rating', `scale-${scale}`], attrs: { role: 'group', 'aria-labelledby': `poll-${poll.id}-q` } }, buttons),
    el('p', { class: 'hint poll-rating-legend' }, [
      el('span', { text: t('poll.rating_low') }),
      el('span', { text: t('poll.rating_high', { scale }) }),
    ]),
  ];
}
