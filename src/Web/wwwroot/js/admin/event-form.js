// @ts-check
// An event's own details (name, theme, host, city, time zone, language) as the organizer edits them.
import { api } from '/js/lib/api.js';
import { el, toast } from '/js/lib/dom.js';
import { ta } from '/js/admin-i18n.js';
import { errorLine, eventApi, field, select, setError, textInput } from '/js/admin/form.js';

const LANGUAGES = ['id', 'en'];
const TIME_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'UTC'];

/**
 * The event's heading and its details form.
 * @param {import('/js/admin/form.js').AdminEvent} event
 * @param {(saved: import('/js/admin/form.js').AdminEvent) => void} onSaved
 * @returns {HTMLElement}
 */
export function eventSection(event, onSaved) {
  const name = textInput(event.name, { required: true, 'data-testid': 'event-name' });
  const theme = textInput(event.theme);
  const host = textInput(event.host);
  const city = textInput(event.city);
  const zone = textInput(event.timeZone, { list: 'time-zones', 'data-testid': 'event-time-zone' });
  const zones = el('datalist', { attrs: { id: 'time-zones' } }, TIME_ZONES.map((z) => el('option', { attrs: { value: z } })));
  const language = select(LANGUAGES.map((l) => [l, ta(`admin.event.language_${l}`)]), event.defaultLanguage,
    { 'data-testid': 'event-language' });
  const followBrowser = /** @type {HTMLInputElement} */ (el('input', {
    attrs: { type: 'checkbox', 'data-testid': 'event-follow-browser', 'aria-describedby': 'event-follow-browser-hint' },
    props: { checked: !!event.followBrowserLanguage },
  }));
  const error = errorLine();
  const form = el('form', { attrs: { novalidate: true } }, [
    el('div', { class: 'admin-grid' }, [
      field('event-name', 'admin.event.name', name),
      field('event-theme', 'admin.event.theme', theme),
      field('event-host', 'admin.event.host', host),
      field('event-city', 'admin.event.city', city),
      field('event-zone', 'admin.event.time_zone', zone, 'admin.event.time_zone_hint'),
      field('event-language', 'admin.event.language', language),
    ]),
    el('div', { class: 'field' }, [
      el('label', { class: 'admin-toggle' }, [followBrowser, el('span', { text: ta('admin.event.follow_browser') })]),
      el('p', { class: 'hint', text: ta('admin.event.follow_browser_hint'), attrs: { id: 'event-follow-browser-hint' } }),
    ]),
    zones,
    error,
    el('button', { class: 'btn btn-primary', text: ta('admin.event.save'), attrs: { type: 'submit', 'data-testid': 'event-save' } }),
  ]);
  form.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    const r = await api('PUT', eventApi(event.code), {
      name: name.value, theme: theme.value, host: host.value, city: city.value, timeZone: zone.value,
      defaultLanguage: language.value, followBrowserLanguage: followBrowser.checked,
    });
    if (!r.ok) {
      setError(error, r.error);
      return;
    }
    onSaved(r.value);
    toast(ta('admin.event.saved'));
  });
  return el('section', { class: 'panel', attrs: { 'aria-labelledby': 'event-title' } }, [
    el('h2', { text: event.name, attrs: { id: 'event-title', tabindex: '-1', 'data-testid': 'event-title' } }),
    el('p', { class: 'hint' }, [
      el('span', { class: 'mono', text: event.code }),
      ` · ${ta('admin.event.dates', { start: event.startDate ?? '', end: event.endDate ?? event.startDate ?? '' })}`,
    ]),
    el('h3', { text: ta('admin.event.details') }),
    form,
  ]);
}
