// @ts-check
// Every address of one event: the audience's (with its QR code), the moderator's and the projector's, the event's JSON
// and the exports; and a button that signs the organizer in as the event's moderator.
import { api } from '/js/lib/api.js';
import { el } from '/js/lib/dom.js';
import { adminErrorText, ta } from '/js/admin-i18n.js';
import { copyable, enc, eventApi, link } from '/js/admin/form.js';

/**
 * @param {import('/js/admin/form.js').AdminEvent} event
 * @param {(text: string, kind?: string) => void} showNotice
 * @returns {HTMLElement}
 */
export function linksSection(event, showNotice) {
  const code = enc(event.code);
  const origin = location.origin;
  const exportLink = (/** @type {string} */ file, /** @type {string} */ key) =>
    el('li', {}, [link(`/api/events/${code}/export/${file}`, ta(key), { download: '', 'data-testid': `export-${file}` })]);
  const openModerator = el('button', {
    class: 'btn',
    text: ta('admin.links.open_moderator'),
    attrs: { type: 'button', 'data-testid': 'open-moderator' },
    on: {
      click: async () => {
        const r = await api('POST', `${eventApi(event.code)}/moderator-session`);
        if (r.ok) {
          location.assign(`/e/${code}/moderator`);
        } else {
          showNotice(adminErrorText(r.error), 'error');
        }
      },
    },
  });
  return el('section', { class: 'panel', attrs: { 'aria-labelledby': 'links-title' } }, [
    el('h2', { text: ta('admin.links.title'), attrs: { id: 'links-title' } }),
    el('div', { class: 'admin-links' }, [
      el('dl', { class: 'admin-dl' }, [
        el('dt', { text: ta('admin.links.audience') }), el('dd', {}, [copyable(`${origin}/e/${code}`, 'audience-url')]),
        el('dt', { text: ta('admin.links.moderator') }), el('dd', {}, [link(`/e/${code}/moderator`, `${origin}/e/${code}/moderator`)]),
        el('dt', { text: ta('admin.links.projector') }), el('dd', {}, [link(`/e/${code}/projector`, `${origin}/e/${code}/projector`)]),
      ]),
      el('img', { class: 'admin-qr', attrs: { src: `/api/events/${code}/qr.svg`, alt: `QR ${event.code}`, width: 128, height: 128 } }),
    ]),
    el('div', { class: 'admin-actions' }, [
      openModerator,
      link(`${eventApi(event.code)}/scenario.json`, ta('admin.links.event_json'), { class: 'btn', download: '', 'data-testid': 'download-event-json' }),
    ]),
    el('h3', { text: ta('admin.links.exports') }),
    el('ul', { class: 'admin-inline-list' }, [
      exportLink('questions.csv', 'admin.links.questions_csv'),
      exportLink('questions.json', 'admin.links.questions_json'),
      exportLink('polls.csv', 'admin.links.polls_csv'),
      exportLink('polls.json', 'admin.links.polls_json'),
      exportLink('reactions.csv', 'admin.links.reactions_csv'),
    ]),
  ]);
}
