// @ts-check
// Single, multiple choice and quiz polls on the phone: one button per option; a single pick goes at once, several picks
// (up to the poll's maximum) go with the submit button. A closed quiz marks the correct options.
import { announce, el, userText } from '/js/lib/dom.js';
import { t } from '/js/lib/strings.js';
import { answerButtonAttrs, sameVote } from '/js/audience/poll-votes.js';

/** @typedef {import('/js/audience/poll-votes.js').Poll} Poll */

/** Whether the answer goes with the submit button (several picks) rather than with the tap. @param {Poll} poll */
const picksSeveral = (poll) => poll.kind === 'multiple' || (poll.kind === 'quiz' && (poll.maxPicks || 1) > 1);

/**
 * @param {Poll} poll @param {number} index
 * @param {{ pressed: boolean, locked: boolean, correct: number[] | null, onClick: () => void }} options
 */
function optionButton(poll, index, { pressed, locked, correct, onClick }) {
  const isCorrect = !!correct && correct.includes(index);
  return el('button', {
    class: ['poll-option', pressed && 'is-chosen', correct && isCorrect && 'is-correct', correct && pressed && !isCorrect && 'is-wrong'],
    attrs: { ...answerButtonAttrs('poll-option', `opt-${index}`, pressed, locked), 'data-index': index },
    on: { click: onClick },
  }, [
    el('span', { class: 'check', attrs: { 'aria-hidden': 'true' }, text: pressed ? '✓' : '' }),
    el('span', { class: 'label' }, [userText(poll.options[index])]),
    correct && isCorrect ? el('span', { class: 'tag', text: t('poll.correct_answer') }) : null,
  ]);
}

/** A pick added or taken back; past the maximum, the hint says so. @param {Poll} poll @param {number} index @param {import('/js/audience/poll-votes.js').Votes} votes */
function toggle(poll, index, votes) {
  if (votes.isLocked(poll)) {
    return;
  }
  const d = votes.draft(poll);
  const max = poll.maxPicks || poll.options.length;
  d.atMax = false;
  if (d.choices.includes(index)) {
    d.choices = d.choices.filter((i) => i !== index);
  } else if (max === 1) {
    d.choices = [index];
  } else if (d.choices.length >= max) {
    d.atMax = true;
    announce(t('poll.max_picks', { count: max }));
  } else {
    d.choices = [...d.choices, index];
  }
  votes.render();
}

/** @param {Poll} poll @param {boolean} locked @param {import('/js/audience/poll-votes.js').Votes} votes */
export function choiceBody(poll, locked, votes) {
  const chosen = votes.chosen(poll);
  const several = picksSeveral(poll);
  const d = votes.draft(poll);
  const picked = several && !locked ? d.choices : (chosen && chosen.choices) || [];
  const correct = poll.status === 'closed' && poll.correct ? poll.correct : null;
  const parts = [];
  if (several) {
    parts.push(el('p', {
      class: ['hint', d.atMax && 'hint-strong'],
      attrs: { id: `poll-${poll.id}-hint` },
      text: t('poll.max_picks', { count: poll.maxPicks || poll.options.length }),
    }));
  }
  parts.push(el('div', { class: 'poll-options', attrs: { role: 'group', 'aria-labelledby': `poll-${poll.id}-q` } },
    poll.options.map((_, index) => optionButton(poll, index, {
      pressed: picked.includes(index),
      locked,
      correct,
      onClick: () => (several ? toggle(poll, index, votes) : votes.cast(poll, { choices: [index] })),
    }))));
  if (several && !locked) {
    const same = chosen && sameVote(chosen, { choices: d.choices });
    parts.push(votes.submitButton(poll, {
      disabled: d.choices.length === 0 || !!same,
      onSubmit: () => {
        if (d.choices.length) {
          votes.cast(poll, { choices: [...d.choices].sort((a, b) => a - b) });
        }
      },
    }));
  }
  return parts;
}
