// The audience page's service worker: a phone that reloads under dead Wi-Fi still opens the page it last saw, with
// its outbox and the last state it saw (both kept in localStorage by the page itself), marked as not fresh.
// Pages are fetched from the network first (a fresh page whenever the network answers within a few seconds) and
// kept; fingerprinted files never change, so they are served from the cache once fetched. Nothing else is touched:
// the hub, the API and the moderator's and organizer's pages always go to the network.
const CACHE = 'livehub-v1';
const PAGE_TIMEOUT_MS = 4000;
const FINGERPRINTED = /\.[a-z0-9]{10}\.(js|css|svg)$/;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

/** The audience page of an event, /e/{code} (its query string does not matter for the copy kept). */
function isAudiencePage(url) {
  return /^\/e\/[^/]+\/?$/.test(url.pathname);
}

async function pageFromNetworkFirst(request) {
  const cache = await caches.open(CACHE);
  const key = new URL(request.url);
  key.search = '';
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), PAGE_TIMEOUT_MS)),
    ]);
    if (response.ok) {
      await cache.put(key.href, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(key.href);
    if (kept) {
      return kept;
    }
    throw error;
  }
}

async function fromCacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) {
    return kept;
  }
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === 'navigate' && isAudiencePage(url)) {
    event.respondWith(pageFromNetworkFirst(request));
  } else if (FINGERPRINTED.test(url.pathname)) {
    event.respondWith(fromCacheFirst(request));
  }
});
