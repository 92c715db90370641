// @ts-check
// What a quiz adds on the phone to its choice body: while open, the countdown and the name the leaderboard shows; once
// closed, whether one's answer was right.
import { el } from '/js/lib/dom.js';
import { storage } from '/js/lib/storage.js';
import { t } from '/js/lib/strings.js';
import { formatCountdown } from '/js/lib/time.js';
import { secondsLeft } from '/js/polls/format.js';
import { NAME_KEY, sameVote } from '/js/audience/poll-votes.js';

/** @param {import('/js/audience/poll-votes.js').Poll} poll @param {boolean} locked @param {import('/js/audience/poll-votes.js').Votes} votes */
export function quizExtras(poll, locked, votes) {
  const parts = [];
  if (poll.status === 'open') {
    parts.push(el('p', {
      class: ['quiz-countdown', locked && 'is-over'],
      attrs: { 'data-testid': 'quiz-countdown', role: 'timer', 'data-deadline': poll.closesAt || '' },
    }, [
      el('span', { class: 'time', text: locked ? t('poll.time_up') : formatCountdown(secondsLeft(poll)) }),
      locked ? null : el('span', { class: 'unit', text: ` ${t('poll.time_left')}` }),
    ]));
    if (!locked) {
      const nameId = `poll-${poll.id}-name`;
      parts.push(el('div', { class: 'field quiz-name' }, [
        el('label', { attrs: { for: nameId }, text: t('poll.quiz_name') }),
        el('input', {
          attrs: { id: nameId, type: 'text', 'data-testid': 'poll-name', 'data-fk': 'name', autocomplete: 'nickname' },
          props: { value: storage.getRaw(NAME_KEY) || '' },
          on: {
            input: (/** @type {Event} */ e) => {
              const name = /** @type {HTMLInputElement} */ (e.target).value.trim();
              storage.setRaw(NAME_KEY, name);
              // The question form's name field is the same name.
              const askName = /** @type {HTMLInputElement | null} */ (document.getElementById('ask-name'));
              if (askName) {
                askName.value = name;
              }
            },
          },
        }),
      ]));
    }
  } else if (poll.correct) {
    const chosen = votes.chosen(poll);
    const right = chosen && sameVote({ choices: chosen.choices }, { choices: poll.correct });
    parts.push(el('p', {
      class: ['quiz-outcome', chosen ? (right ? 'is-right' : 'is-wrong') : ''],
      attrs: { 'data-testid': 'quiz-outcome', 'data-correct': chosen ? String(!!right) : null },
      text: t(!chosen ? 'poll.quiz.no_answer' : right ? 'poll.quiz.right' : 'poll.quiz.wrong'),
    }));
  }
  return parts;
}
