// @ts-check
// Kiosk care: nobody touches the projector, so it keeps the display awake and hides the mouse pointer when it rests.
import { $ } from '/js/lib/dom.js';
import { onLanguageChange, t } from '/js/lib/strings.js';

/** Starts keeping the screen awake (or saying why it cannot) and hiding a resting pointer. */
export function startKioskCare() {
  const notice = $('#wake-notice');
  /** @type {WakeLockSentinel | null} */
  let wakeLock = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let idleTimer;

  /**
   * Keeps the display awake. Browsers grant the Screen Wake Lock only to secure pages (HTTPS or this machine's own
   * address): opened over a venue LAN on plain HTTP the screen may go to sleep, and the projector says so, with what to do.
   */
  async function keepAwake() {
    if (document.visibilityState !== 'visible' || wakeLock) {
      return;
    }
    if (!('wakeLock' in navigator)) {
      showWakeNotice();
      return;
    }
    try {
      const lock = await navigator.wakeLock.request('screen');
      wakeLock = lock;
      lock.addEventListener('release', () => { wakeLock = null; });
      notice.hidden = true;
    } catch {
      wakeLock = null; // not allowed (insecure origin, battery saver, no permission): the screen's own settings apply
      showWakeNotice();
    }
  }

  function showWakeNotice() {
    notice.hidden = false;
    notice.dataset.reason = window.isSecureContext ? 'refused' : 'insecure';
    notice.textContent = t(window.isSecureContext ? 'proj.wake.refused' : 'proj.wake.insecure');
  }

  onLanguageChange(() => { if (!notice.hidden) showWakeNotice(); });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      keepAwake();
    }
  });
  keepAwake();

  // Hide the mouse pointer when it rests on the screen.
  document.addEventListener('mousemove', () => {
    document.body.classList.remove('idle');
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => document.body.classList.add('idle'), 3000);
  });
}
