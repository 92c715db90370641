// @ts-check
// Polls on the phone, loaded with the session's first poll: one card per poll (the open ones and the latest closed one
// on top), votes through their own outbox (only the latest answer per poll goes, a tap on a flaky network is never
// lost), results when the server says the audience may see them, and a visible call when a poll opens while the person
// is elsewhere on the page.
import { $, announce, el, reconcile, userText } from '/js/lib/dom.js';
import { clip, limits, textLength, tooLong } from '/js/lib/limits.js';
import { createVoteOutbox, sameVote } from '/js/lib/vote-outbox.js';
import { storage } from '/js/lib/storage.js';
import { errorText, getLanguage, t } from '/js/lib/strings.js';
import { formatCountdown, serverNow } from '/js/lib/time.js';
import { CHOICE_KINDS, secondsLeft } from '/js/polls/format.js';
import { createResultsView } from '/js/polls/results.js';

const NAME_KEY = 'lh.name';

/** @param {any} page the phone page's shared context (js/audience.js) */
export function createPolls(page) {
  const { state, live, code } = page;
  const POLL_CACHE_KEY = `lh.polls.${code}`;
  const ui = {
    polls: $('#polls'),
    pollList: $('#poll-list'),
    pollWaiting: $('#poll-waiting'),
    pollEarlier: $('#poll-earlier'),
    pollEarlierTitle: $('#poll-earlier-title'),
    pollEarlierList: $('#poll-earlier-list'),
    alert: $('#poll-alert'),
    name: $('#ask-name'),
  };

  const resultsViews = new Map(); // pollId -> { sig, view }: kept across card rebuilds so the bars animate
  const drafts = new Map(); // pollId -> { choices, ranking, text }: what is picked but not yet sent
  const failures = new Map(); // pollId -> the error that dropped the last answer
  const expanded = new Map(); // pollId -> whether a closed poll's card is open
  const justClosed = new Set();
  const lastStatus = new Map(); // pollId -> status last drawn, to notice a close that came with a fresh snapshot
  let maxPicksNote = null; // pollId whose "at most N" hint was just hit

  const votes = createVoteOutbox(code, live, {
    onChange: () => renderPolls(),
    onDelivered: (vote, item) => {
      state.setMyVote(vote);
      failures.delete(item.pollId);
      if (item.sessionId === page.sessionId) {
        announce(t('poll.announce.sent'));
      }
      renderPolls();
    },
    onError: (error, item) => {
      // The answer may have landed before the poll closed, with its acknowledgement lost on the way back.
      if (['poll_closed', 'poll_time_up'].includes(error.code) && sameVote(state.myVotes.get(item.pollId), item.vote)) {
        renderPolls();
        return;
      }
      failures.set(item.pollId, { error, vote: item.vote });
      if (item.sessionId === page.sessionId) {
        announce(pollErrorText(error));
      }
      renderPolls();
    },
  });

  function announcePollChange(change) {
    const poll = change.delta && change.delta.poll;
    if (!poll || poll.sessionId !== page.sessionId) {
      return;
    }
    if (change.kind === 'PollOpened') {
      justClosed.delete(poll.id);
      announce(t(poll.kind === 'quiz' ? 'poll.announce.quiz_opened' : 'poll.announce.opened', { question: poll.question }));
      callAttention(poll);
    } else if (change.kind === 'PollClosed') {
      justClosed.add(poll.id);
      expanded.delete(poll.id);
      announce(t('poll.announce.closed', { question: poll.question }));
    } else if (change.kind === 'PollRevealed' && poll.resultsVisible) {
      announce(t('poll.announce.revealed', { question: poll.question }));
    }
  }

  function pollErrorText(error) {
    if (error && error.messageKey === 'error.text_empty') {
      return t('poll.answer_empty');
    }
    return errorText(error, error && error.messageKey === 'error.text_too_long' ? { max: limits.pollAnswerMaxLength } : {});
  }

  /** The answer on the card: the one waiting in the outbox, else the one the server holds. */
  function chosenVote(poll) {
    const item = votes.forPoll(poll.id);
    if (item && item.state === 'sending') {
      return item.vote;
    }
    return state.myVotes.get(poll.id) || (item ? item.vote : null);
  }

  function voteState(poll) {
    const item = votes.forPoll(poll.id);
    if (item) {
      return { state: item.state, error: item.error, offline: !live.isConnected() };
    }
    if (failures.has(poll.id)) {
      return { state: 'failed', error: failures.get(poll.id).error };
    }
    return state.myVotes.has(poll.id) ? { state: 'delivered' } : null;
  }

  /** A quiz takes no answer after its deadline, even before the server's close arrives. */
  function isLocked(poll) {
    if (poll.status !== 'open') {
      return true;
    }
    return poll.kind === 'quiz' && !!poll.closesAt && poll.closesAt <= serverNow();
  }

  function needsSubmit(poll) {
    return poll.kind === 'multiple' || poll.kind === 'ranking' || (poll.kind === 'quiz' && (poll.maxPicks || 1) > 1);
  }

  function draftOf(poll) {
    let d = drafts.get(poll.id);
    if (!d) {
      const chosen = chosenVote(poll);
      const ranking = chosen && Array.isArray(chosen.ranking) && chosen.ranking.length === poll.options.length
        ? [...chosen.ranking]
        : poll.options.map((_, i) => i);
      d = { choices: chosen && chosen.choices ? [...chosen.choices] : [], ranking, text: '' };
      drafts.set(poll.id, d);
    }
    return d;
  }

  function quizName() {
    return clip((storage.getRaw(NAME_KEY) || '').trim(), limits.nameMaxLength);
  }

  function castVote(poll, vote) {
    if (isLocked(poll)) {
      return;
    }
    failures.delete(poll.id);
    if (poll.kind === 'quiz') {
      vote.displayName = quizName() || null;
    }
    votes.add(poll.id, poll.sessionId, vote);
    renderPolls();
  }

  function submitDraft(poll, card) {
    const d = draftOf(poll);
    if (poll.kind === 'ranking') {
      castVote(poll, { ranking: [...d.ranking] });
      return;
    }
    if (poll.kind === 'multiple' || poll.kind === 'quiz') {
      if (d.choices.length) {
        castVote(poll, { choices: [...d.choices].sort((a, b) => a - b) });
      }
      return;
    }
    // Word cloud and open text: check here what the server would refuse anyway.
    const field = card.querySelector('[data-testid="poll-text"]');
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
      failures.set(poll.id, { error, local: true });
      renderPolls();
      card.querySelector('[data-testid="poll-text"]')?.focus();
      return;
    }
    d.text = '';
    castVote(poll, { text });
  }

  function toggleChoice(poll, index) {
    if (isLocked(poll)) {
      return;
    }
    const d = draftOf(poll);
    const max = poll.maxPicks || poll.options.length;
    if (d.choices.includes(index)) {
      d.choices = d.choices.filter((i) => i !== index);
      maxPicksNote = null;
    } else if (max === 1) {
      d.choices = [index];
    } else if (d.choices.length >= max) {
      maxPicksNote = poll.id;
      announce(t('poll.max_picks', { count: max }));
    } else {
      d.choices = [...d.choices, index];
      maxPicksNote = null;
    }
    renderPolls();
  }

  function moveRank(poll, position, step) {
    const d = draftOf(poll);
    const target = position + step;
    if (isLocked(poll) || target < 0 || target >= d.ranking.length) {
      return;
    }
    const order = [...d.ranking];
    [order[position], order[target]] = [order[target], order[position]];
    d.ranking = order;
    announce(t('poll.rank_moved', { label: poll.options[order[target]], position: target + 1 }));
    renderPolls();
  }

  function kindLabel(poll) {
    return t(`poll.kind.${poll.kind}`);
  }

  function optionButton(poll, index, { pressed, locked, correct, onClick }) {
    const isCorrect = !!correct && correct.includes(index);
    return el('button', {
      class: ['poll-option', pressed && 'is-chosen', correct && isCorrect && 'is-correct', correct && pressed && !isCorrect && 'is-wrong'],
      attrs: {
        type: 'button',
        'data-testid': 'poll-option',
        'data-index': index,
        'data-fk': `opt-${index}`,
        'aria-pressed': pressed ? 'true' : 'false',
        'aria-disabled': locked ? 'true' : null,
      },
      on: { click: onClick },
    }, [
      el('span', { class: 'check', attrs: { 'aria-hidden': 'true' }, text: pressed ? '✓' : '' }),
      el('span', { class: 'label' }, [userText(poll.options[index])]),
      correct && isCorrect ? el('span', { class: 'tag', text: t('poll.correct_answer') }) : null,
    ]);
  }

  function submitButton(poll, { disabled, label = 'poll.submit' }) {
    return el('button', {
      class: 'btn btn-primary btn-block poll-submit',
      text: t(label),
      attrs: { type: 'button', 'data-testid': 'poll-submit', 'data-fk': 'submit', 'aria-disabled': disabled ? 'true' : null },
      on: {
        click: (e) => {
          if (e.currentTarget.getAttribute('aria-disabled') !== 'true') {
            submitDraft(poll, e.currentTarget.closest('[data-testid="poll"]'));
          }
        },
      },
    });
  }

  function choiceBody(poll, locked) {
    const chosen = chosenVote(poll);
    const multi = needsSubmit(poll);
    const d = draftOf(poll);
    const picked = multi && !locked ? d.choices : (chosen && chosen.choices) || [];
    const correct = poll.status === 'closed' && poll.correct ? poll.correct : null;
    const parts = [];
    if (multi) {
      const max = poll.maxPicks || poll.options.length;
      parts.push(el('p', {
        class: ['hint', maxPicksNote === poll.id && 'hint-strong'],
        attrs: { id: `poll-${poll.id}-hint` },
        text: t('poll.max_picks', { count: max }),
      }));
    }
    parts.push(el('div', { class: 'poll-options', attrs: { role: 'group', 'aria-labelledby': `poll-${poll.id}-q` } },
      poll.options.map((_, index) => optionButton(poll, index, {
        pressed: picked.includes(index),
        locked,
        correct,
        onClick: () => (multi ? toggleChoice(poll, index) : castVote(poll, { choices: [index] })),
      }))));
    if (multi && !locked) {
      const same = chosen && sameVote(chosen, { choices: d.choices });
      parts.push(submitButton(poll, { disabled: d.choices.length === 0 || same }));
    }
    return parts;
  }

  function ratingBody(poll, locked) {
    const chosen = chosenVote(poll);
    const scale = poll.scale || limits.ratingMinScale;
    const buttons = [];
    for (let v = 1; v <= scale; v += 1) {
      const pressed = !!chosen && chosen.rating === v;
      buttons.push(el('button', {
        class: ['poll-rating-btn', pressed && 'is-chosen'],
        text: String(v),
        attrs: {
          type: 'button',
          'data-testid': 'poll-rating',
          'data-value': v,
          'data-fk': `rate-${v}`,
          'aria-pressed': pressed ? 'true' : 'false',
          'aria-disabled': locked ? 'true' : null,
          'aria-label': t('poll.rating_aria', { value: v, scale }),
        },
        on: { click: () => castVote(poll, { rating: v }) },
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

  function rankingBody(poll, locked) {
    const d = draftOf(poll);
    const chosen = chosenVote(poll);
    const hasRanking = chosen && Array.isArray(chosen.ranking) && chosen.ranking.length === poll.options.length;
    if (locked && !hasRanking) {
      return [];
    }
    const order = locked ? chosen.ranking : d.ranking;
    const last = order.length - 1;
    const list = el('ol', { class: 'poll-rank', attrs: { 'aria-labelledby': `poll-${poll.id}-q` } }, order.map((index, position) => {
      const label = poll.options[index];
      return el('li', { class: 'poll-rank-item', attrs: { 'data-index': index } }, [
        el('span', { class: 'pos', attrs: { 'aria-hidden': 'true' }, text: String(position + 1) }),
        el('span', { class: 'label' }, [userText(label)]),
        locked ? null : el('span', { class: 'moves' }, [
          el('button', {
            class: 'btn btn-small rank-move',
            text: '▲',
            attrs: {
              type: 'button',
              'data-testid': 'poll-rank-up',
              'data-fk': `up-${index}`,
              'aria-label': t('poll.rank_up', { label }),
              'aria-disabled': position === 0 ? 'true' : null,
            },
            on: { click: () => moveRank(poll, d.ranking.indexOf(index), -1) },
          }),
          el('button', {
            class: 'btn btn-small rank-move',
            text: '▼',
            attrs: {
              type: 'button',
              'data-testid': 'poll-rank-down',
              'data-fk': `down-${index}`,
              'aria-label': t('poll.rank_down', { label }),
              'aria-disabled': position === last ? 'true' : null,
            },
            on: { click: () => moveRank(poll, d.ranking.indexOf(index), 1) },
          }),
        ]),
      ]);
    }));
    const parts = [el('p', { class: 'hint', text: t(locked ? 'poll.your_ranking' : 'poll.rank_hint') }), list];
    if (!locked) {
      const same = chosen && sameVote(chosen, { ranking: d.ranking });
      parts.push(submitButton(poll, { disabled: same }));
    }
    return parts;
  }

  function textBody(poll, locked) {
    const chosen = chosenVote(poll);
    const d = draftOf(poll);
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
    const paintCounter = (value) => {
      if (counter) {
        const text = value.trim();
        counter.textContent = t('ask.counter', { count: textLength(text), max: limits.pollAnswerMaxLength });
        counter.classList.toggle('over', tooLong(text, limits.pollAnswerMaxLength));
      }
    };
    const failure = failures.get(poll.id);
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
        'aria-invalid': failure && failure.local ? 'true' : 'false',
      },
      props: { value: d.text },
      on: {
        input: (e) => {
          d.text = e.target.value;
          paintCounter(d.text);
          if (failures.get(poll.id)?.local) {
            failures.delete(poll.id);
            e.target.setAttribute('aria-invalid', 'false');
            e.target.closest('[data-testid="poll"]')?.querySelector('.poll-vote-state[data-state="failed"]')?.remove();
          }
        },
        keydown: (e) => {
          if (e.key === 'Enter' && (cloud || e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            submitDraft(poll, e.target.closest('[data-testid="poll"]'));
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
    parts.push(submitButton(poll, { disabled: false }));
    return parts;
  }

  function quizExtras(poll, locked) {
    const parts = [];
    if (poll.status === 'open') {
      const left = secondsLeft(poll);
      parts.push(el('p', {
        class: ['quiz-countdown', locked && 'is-over'],
        attrs: { 'data-testid': 'quiz-countdown', role: 'timer', 'data-deadline': poll.closesAt || '' },
      }, [
        el('span', { class: 'time', text: locked ? t('poll.time_up') : formatCountdown(left) }),
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
              input: (e) => {
                storage.setRaw(NAME_KEY, e.target.value.trim());
                ui.name.value = e.target.value.trim();
              },
            },
          }),
        ]));
      }
    } else if (poll.correct) {
      const chosen = chosenVote(poll);
      const right = chosen && sameVote({ choices: chosen.choices }, { choices: poll.correct });
      parts.push(el('p', {
        class: ['quiz-outcome', chosen ? (right ? 'is-right' : 'is-wrong') : ''],
        attrs: { 'data-testid': 'quiz-outcome', 'data-correct': chosen ? String(!!right) : null },
        text: t(!chosen ? 'poll.quiz.no_answer' : right ? 'poll.quiz.right' : 'poll.quiz.wrong'),
      }));
    }
    return parts;
  }

  function voteStateLine(poll) {
    const s = voteState(poll);
    if (!s) {
      return null;
    }
    const chosen = chosenVote(poll);
    let text;
    if (s.state === 'sending') {
      text = t('outbox.sending');
    } else if (s.state === 'delivered') {
      text = `✓ ${t(poll.kind === 'text' && chosen && chosen.status === 'pending' ? 'poll.delivered_review' : 'outbox.delivered')}`;
    } else {
      text = `${t('outbox.failed')}: ${pollErrorText(s.error)}`;
    }
    const children = [el('span', { class: ['badge', `badge-${s.state}`], text })];
    if (s.state === 'sending' && s.offline) {
      children.push(el('span', { class: 'hint', text: t('poll.waiting_connection') }));
    } else if (s.state === 'sending' && s.error) {
      children.push(el('span', { class: 'hint', text: `${pollErrorText(s.error)} ${t('poll.auto_retry')}` }));
    }
    return el('div', {
      class: 'poll-vote-state',
      attrs: { 'data-testid': 'poll-vote-state', 'data-state': s.state, role: s.state === 'failed' ? 'alert' : 'status' },
    }, children);
  }

  /** The server decides (PollView.resultsVisible): a running quiz, for one, never shows its spread of answers. */
  function showsResults(poll) {
    return poll.resultsVisible;
  }

  function hiddenNote(poll) {
    if (showsResults(poll)) {
      return null;
    }
    if (poll.kind === 'quiz' && poll.status === 'open') {
      return el('p', { class: 'hint results-later', text: t('poll.quiz.results_after') });
    }
    const key = poll.visibility === 'on_close' && poll.status === 'open' ? 'poll.results_after_close' : 'poll.results_later';
    return el('p', { class: 'hint results-later', attrs: { 'data-testid': 'results-hidden' }, text: t(key) });
  }

  function defaultExpanded(poll, openCount, newestClosedId) {
    return justClosed.has(poll.id) || failures.has(poll.id) || (openCount === 0 && poll.id === newestClosedId);
  }

  function pollCard(poll, ctx) {
    const locked = isLocked(poll);
    let body;
    if (CHOICE_KINDS.includes(poll.kind)) {
      body = choiceBody(poll, locked);
    } else if (poll.kind === 'rating') {
      body = ratingBody(poll, locked);
    } else if (poll.kind === 'ranking') {
      body = rankingBody(poll, locked);
    } else {
      body = textBody(poll, locked);
    }
    const head = el('div', { class: 'poll-head' }, [
      el('span', { class: 'badge badge-kind', text: poll.kind === 'quiz' ? t('poll.kind.quiz') : `${t('poll.label')} · ${kindLabel(poll)}` }),
      el('span', { class: ['badge', poll.status === 'open' ? 'badge-live' : 'badge-ended'], text: t(`poll.status.${poll.status}`) }),
    ]);
    const question = el(poll.status === 'open' ? 'h3' : 'span', { class: 'poll-question', attrs: { id: `poll-${poll.id}-q` } }, [userText(poll.question)]);
    const content = [
      ...(poll.kind === 'quiz' ? quizExtras(poll, locked) : []),
      ...body,
      voteStateLine(poll),
      hiddenNote(poll),
      el('div', { class: 'poll-results-slot' }),
    ];
    const attrs = {
      'data-testid': 'poll',
      'data-poll-id': poll.id,
      'data-kind': poll.kind,
      'data-status': poll.status,
      'data-locked': locked ? 'true' : null,
      'aria-labelledby': `poll-${poll.id}-q`,
    };
    if (poll.status === 'open') {
      return el('article', { class: ['poll-card', 'panel', `poll-kind-${poll.kind}`, 'is-open'], attrs }, [head, question, ...content]);
    }
    const details = el('details', {
      class: 'poll-details',
      props: { open: expanded.get(poll.id) ?? defaultExpanded(poll, ctx.openCount, ctx.newestClosedId) },
      on: { toggle: (e) => expanded.set(poll.id, e.target.open) },
    }, [
      el('summary', { class: 'poll-summary' }, [head, question]),
      el('div', { class: 'poll-details-body' }, content),
    ]);
    return el('article', { class: ['poll-card', 'panel', `poll-kind-${poll.kind}`, 'is-closed'], attrs }, [details]);
  }

  function pollSig(poll, ctx) {
    const d = drafts.get(poll.id);
    return JSON.stringify([
      getLanguage(), poll, isLocked(poll), chosenVote(poll), voteState(poll), live.isConnected(),
      d && [d.choices, d.ranking], maxPicksNote === poll.id, poll.status === 'closed' && defaultExpanded(poll, ctx.openCount, ctx.newestClosedId),
      limits,
    ]);
  }

  function resultsViewFor(poll) {
    const sig = JSON.stringify([poll.kind, poll.options, poll.scale, getLanguage()]);
    let entry = resultsViews.get(poll.id);
    if (!entry || entry.sig !== sig) {
      entry = { sig, view: createResultsView(poll, { variant: 'phone', leaderboardSize: 10 }) };
      resultsViews.set(poll.id, entry);
    }
    return entry.view;
  }

  /** The session's polls and own votes as last seen, so a reload without a connection still shows them. */
  function savePollCache() {
    if (!state.loaded) {
      return;
    }
    const polls = [...state.polls.values()];
    const sig = JSON.stringify([state.sessionId, polls, [...state.myVotes.values()]]);
    if (sig !== savePollCache.sig) {
      savePollCache.sig = sig;
      storage.set(POLL_CACHE_KEY, { sessionId: state.sessionId, polls, myVotes: [...state.myVotes.values()] });
    }
  }

  function loadPollCache(id) {
    const cached = storage.get(POLL_CACHE_KEY);
    if (!cached || cached.sessionId !== id || !Array.isArray(cached.polls) || (state.loaded && !page.showingCached)) {
      return;
    }
    for (const poll of cached.polls) {
      if (poll && poll.sessionId === id && poll.status !== 'draft') {
        state.polls.set(poll.id, poll);
      }
    }
    for (const vote of Array.isArray(cached.myVotes) ? cached.myVotes : []) {
      if (vote && state.polls.has(vote.pollId)) {
        state.myVotes.set(vote.pollId, vote);
      }
    }
  }

  function renderPolls() {
    if (!ui.pollList) {
      return;
    }
    savePollCache();
    const all = [...state.polls.values()].filter((p) => p.sessionId === page.sessionId && p.status !== 'draft');
    for (const p of all) {
      if (lastStatus.get(p.id) === 'open' && p.status === 'closed') {
        justClosed.add(p.id);
      }
      lastStatus.set(p.id, p.status);
    }
    const newest = (a, b) => (b.openedAt || 0) - (a.openedAt || 0) || b.id - a.id;
    const open = all.filter((p) => p.status === 'open').sort(newest);
    const closed = all.filter((p) => p.status === 'closed').sort(newest);
    const ctx = { openCount: open.length, newestClosedId: closed.length ? closed[0].id : null };
    // The open polls and the latest closed one stay on top; older ones wait in one collapsed group below them.
    const recent = closed.filter((p, i) => i === 0 || justClosed.has(p.id));
    const earlier = closed.filter((p) => !recent.includes(p));
    const list = [...open, ...recent];
    ui.polls.hidden = list.length === 0;
    ui.pollWaiting.hidden = open.length > 0 || closed.length === 0;
    const options = { key: (p) => p.id, sig: (p) => pollSig(p, ctx), build: (p) => pollCard(p, ctx) };
    reconcile(ui.pollList, list, options);
    reconcile(ui.pollEarlierList, earlier, options);
    ui.pollEarlier.hidden = earlier.length === 0;
    ui.pollEarlierTitle.textContent = t('poll.earlier', { count: earlier.length });
    const ids = new Set([...list, ...earlier].map((p) => p.id));
    for (const card of [...ui.pollList.children, ...ui.pollEarlierList.children]) {
      const poll = state.polls.get(Number(card.dataset.pollId));
      const slot = card.querySelector('.poll-results-slot');
      if (!poll || !slot) {
        continue;
      }
      if (showsResults(poll)) {
        const view = resultsViewFor(poll);
        if (view.node.parentNode !== slot) {
          slot.replaceChildren(view.node);
        }
        view.update(state.results.get(poll.id) || null, poll);
      } else if (slot.firstChild) {
        slot.replaceChildren();
      }
    }
    for (const map of [resultsViews, drafts, expanded, lastStatus]) {
      for (const id of map.keys()) {
        if (!ids.has(id)) {
          map.delete(id);
        }
      }
    }
  }

  /**
   * A poll that opens while the person is elsewhere on the page (writing a question, reading the list) says so in a
   * bar at the bottom of the screen with one tap to reach it; screen readers hear it too (announcePollChange).
   * @param {any} poll
   */
  function callAttention(poll) {
    requestAnimationFrame(() => {
      const card = ui.pollList.querySelector(`[data-poll-id="${poll.id}"]`);
      if (!card) {
        return;
      }
      const box = card.getBoundingClientRect();
      if (box.top >= 0 && box.top < window.innerHeight - 80) {
        return; // in view already
      }
      ui.alert.replaceChildren(el('button', {
        class: 'poll-alert-button',
        attrs: { type: 'button', 'data-testid': 'poll-alert-go' },
        on: {
          click: () => {
            ui.alert.hidden = true;
            // The card may have been redrawn since: find the one on the page now.
            const now = ui.pollList.querySelector(`[data-poll-id="${poll.id}"]`) || card;
            now.scrollIntoView({ block: 'start' });
            /** @type {HTMLElement | null} */ (now.querySelector('button, input, textarea, summary'))?.focus({ preventScroll: true });
          },
        },
      }, [
        el('span', { class: 'poll-alert-label', text: t(poll.kind === 'quiz' ? 'poll.alert.quiz' : 'poll.alert.poll') }),
        el('span', { class: 'poll-alert-question' }, [userText(poll.question)]),
        el('span', { class: 'poll-alert-go', text: t('poll.alert.go') }),
      ]));
      ui.alert.hidden = false;
      ui.alert.dataset.pollId = String(poll.id);
      // Once the poll comes into view by any means, the call has done its job.
      const seen = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          ui.alert.hidden = true;
          seen.disconnect();
        }
      }, { threshold: 0.3 });
      seen.observe(card);
      setTimeout(() => seen.disconnect(), 60000);
    });
  }

  /** The quiz countdown ticks on its own; at the deadline the card locks (the server's close follows within a second). */
  setInterval(() => {
    let expired = false;
    for (const node of ui.pollList.querySelectorAll('[data-testid="quiz-countdown"][data-deadline]')) {
      const card = node.closest('[data-testid="poll"]');
      const poll = card && state.polls.get(Number(card.dataset.pollId));
      if (!poll || poll.status !== 'open') {
        continue;
      }
      if (isLocked(poll) !== (card.dataset.locked === 'true')) {
        expired = true;
      } else if (!node.classList.contains('is-over')) {
        node.firstChild.textContent = formatCountdown(secondsLeft(poll));
      }
    }
    if (expired) {
      renderPolls();
    }
  }, 250);


  /** A moderator approved or dismissed one's open-text answer (MyVoteChanged): the card says so at once. @param {any} vote */
  function myVoteChanged(vote) {
    if (vote && vote.status && state.polls.get(vote.pollId)?.sessionId === page.sessionId) {
      announce(t(`poll.my_answer.${vote.status}`));
    }
    renderPolls();
  }

  loadPollCache(page.sessionId);
  return {
    render: renderPolls,
    announceChange: announcePollChange,
    matchVotes: (/** @type {any[]} */ myVotes) => votes.match(myVotes),
    myVoteChanged,
    languageChanged: () => resultsViews.clear(),
  };
}
