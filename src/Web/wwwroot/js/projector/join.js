// @ts-check
// Where phones join: the address, QR code and event code beside everything else, and the idle screen, which says the
// same large while nothing else is shown. The server decides the address (the one its QR code encodes) and says when
// phones cannot open it.
import { $ } from '/js/lib/dom.js';

/**
 * @typedef {object} JoinInfo
 * @property {(snapshot: { joinUrl?: string | null, joinUrlWarning?: string | null }) => void} load the event's join address
 * @property {(shown: boolean, title: string, eventName: string) => void} renderIdle the idle screen, shown or not
 */

/** @param {string} code the event's code @returns {JoinInfo} */
export function createJoinInfo(code) {
  const ui = {
    url: $('#join-url'),
    joinWarning: $('#join-warning'),
    qr: /** @type {HTMLImageElement} */ ($('#qr')),
    code: $('#join-code'),
    idle: $('#idle'),
    idleTitle: $('#idle-title'),
    idleEvent: $('#idle-event'),
    idleUrl: $('#idle-url'),
    idleCode: $('#idle-code'),
  };
  const qrUrl = `/api/events/${encodeURIComponent(code)}/qr.svg`;

  ui.code.textContent = code;
  ui.qr.src = qrUrl;
  ui.idleCode.textContent = code;
  // A missing QR (server hiccup) is tried again rather than left broken on the wall.
  ui.qr.addEventListener('error', () => {
    setTimeout(() => { ui.qr.src = `${qrUrl}?retry=${Date.now()}`; }, 10000);
  });

  return {
    load(snapshot) {
      const joinUrl = snapshot.joinUrl || `${location.origin}/e/${code}`;
      ui.url.textContent = joinUrl;
      ui.idleUrl.textContent = joinUrl;
      ui.joinWarning.hidden = !snapshot.joinUrlWarning;
    },
    renderIdle(shown, title, eventName) {
      ui.idle.hidden = !shown;
      if (shown) {
        ui.idleTitle.textContent = title;
        ui.idleEvent.textContent = eventName;
      }
    },
  };
}
