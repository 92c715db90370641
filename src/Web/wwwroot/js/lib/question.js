// @ts-check
import { el } from './dom.js';
import { t } from './strings.js';

/** A moderator's reply under a question, on any screen: "Jawaban moderator" and the text. @param {string | null | undefined} reply */
export function replyBlock(reply, className = 'q-reply') {
  if (!reply) {
    return null;
  }
  return el('div', { class: className, attrs: { 'data-testid': 'question-reply' } }, [
    el('span', { class: `${className}-label`, text: t('reply.label') }),
    el('span', { class: `${className}-text`, userText: reply }),
  ]);
}
