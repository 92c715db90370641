// @ts-check
// Word cloud and open-text polls on the phone: one field (a line for a few words, a box for a text), the answer given
// above it with, for open text, what the moderator made of it. What the server would refuse is said here before it goes.
import { el, userText } from '/js/lib/dom.js';
import { limits, textLength, tooLong } from '/js/lib/limits.js';
import { t } from '/js/lib/strings.js';

/** @typedef {import('/js/audience/poll-votes.js').Poll} Poll */
/** @typedef {import('/js/audience/poll-votes.js').Votes} Votes */

/** @param {Poll} poll @param {Element | null} card @param {Votes} votes */
function submit(poll, card, votes) {
  const d = votes.draft(poll);
  const field = /** @type {HTMLInputElement | null} */ (card?.querySelector('[data-testid="poll-text"]') ?? null);
  const text = (field ? field.value : d.text).trim();
  let error = null;
  if (!text) {
    error = { messageKey: 'error.text_empty' };
  } else if (poll.kind === 'wordcloud' && text.split(/\s+/).length > limits.wordCloudMaxWords) {
    error = { messageKey: 'error.too_many_words' };
  } else if (poll.kind === 'text' && tooLong(text, limits.pollAnswerMaxLength)) {
    error = { messageKey: 'error.text_too_long' };
  }
  if (error) {
    votes.refuse(poll, error);
    /** @type {HTMLElement | null | undefined} */ (card?.querySelector('[data-testid="poll-text"]'))?.focus();
    return;
  }
  d.text = '';
  votes.cast(poll, { text });
}

/** @param {Poll} poll @param {boolean} locked @param {Votes} votes */
export function textBody(poll, locked, votes) {
  const chosen = votes.chosen(poll);
  const d = votes.draft(poll);
  const cloud = poll.kind === 'wordcloud';
  const fieldId = `poll-${poll.id}-text`;
  const parts = [];
  if (chosen && chosen.text) {
    parts.push(el('p', { class: 'poll-my-answer' }, [
      el('span', { class: 'label', text: t('poll.your_answer') }),
      ' ',
      el('span', { class: 'my-answer-text' }, [userText(chosen.text)]),
    ]));
    if (!cloud && chosen.status) {
      parts.push(el('p', { class: 'hint', attrs: { 'data-testid': 'poll-my-answer-status' }, text: t(`poll.my_answer.${chosen.status}`) }));
    }
  }
  if (locked) {
    return parts;
  }
  const counter = cloud ? null : el('span', { class: 'counter', attrs: { id: `${fieldId}-counter` } });
  const paintCounter = (/** @type {string} */ value) => {
    if (counter) {
      const text = value.trim();
      counter.textContent = t('ask.counter', { count: textLength(text), max: limits.pollAnswerMaxLength });
      counter.classList.toggle('over', tooLong(text, limits.pollAnswerMaxLength));
    }
  };
  const field = el(cloud ? 'input' : 'textarea', {
    attrs: {
      id: fieldId,
      type: cloud ? 'text' : null,
      rows: cloud ? null : 3,
      'data-testid': 'poll-text',
      'data-fk': 'text',
      autocomplete: 'off',
      enterkeyhint: cloud ? 'send' : null,
      'aria-describedby': cloud ? `${fieldId}-hint` : `${fieldId}-hint ${fieldId}-counter`,
      'aria-invalid': votes.localFailure(poll.id) ? 'true' : 'false',
    },
    props: { value: d.text },
    on: {
      input: (/** @type {Event} */ e) => {
        const input = /** @type {HTMLInputElement} */ (e.target);
        d.text = input.value;
        paintCounter(d.text);
        if (votes.editing(poll)) {
          input.setAttribute('aria-invalid', 'false');
          input.closest('[data-testid="poll"]')?.querySelector('.poll-vote-state[data-state="failed"]')?.remove();
        }
      },
      keydown: (/** @type {KeyboardEvent} */ e) => {
        if (e.key === 'Enter' && (cloud || e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          submit(poll, /** @type {Element} */ (e.target).closest('[data-testid="poll"]'), votes);
        }
      },
    },
  });
  paintCounter(d.text);
  parts.push(el('div', { class: 'field' }, [
    el('label', { attrs: { for: fieldId }, text: t(chosen && chosen.text ? 'poll.change_answer' : (cloud ? 'poll.wordcloud_label' : 'poll.text_label')) }),
    field,
    counter,
    el('p', {
      class: 'hint',
      attrs: { id: `${fieldId}-hint` },
      text: cloud ? t('poll.wordcloud_hint', { max: limits.wordCloudMaxWords }) : t('poll.text_hint'),
    }),
  ]));
  parts.push(votes.submitButton(poll, { disabled: false, onSubmit: (card) => submit(poll, card, votes) }));
  return parts;
}
