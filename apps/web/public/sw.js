/* Weft dashboard service worker: an offline shell, nothing more.
 * - install: caches index.html and every built asset under a versioned name
 *   (the build fills in the version and the list).
 * - navigations: network first, the cached shell when offline.
 * - /api GETs: network first, the last answer when offline; cleared at sign-out.
 * - hashed assets: cache first (their names change with their content);
 *   other public files (icons, manifest, theme script): network first.
 * Webhooks, writes and cross-origin requests are never touched. */
const CACHE_VERSION = '__CACHE_VERSION__';
const PRECACHE_URLS = [/* __PRECACHE_URLS__ */];
const SHELL_CACHE = `weft-shell-${CACHE_VERSION}`;
const API_CACHE = 'weft-api';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(PRECACHE_URLS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('weft-shell-') && name !== SHELL_CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  // Sent by the dashboard at sign-out: cached API answers hold personal data.
  if (event.data && event.data.type === 'clear-api-cache') event.waitUntil(caches.delete(API_CACHE));
});

async function networkFirst(request, cacheName, fallbackUrl) {
  try {
    const response = await fetch(request);
    if (response.ok && request.method === 'GET') {
      const copy = response.clone();
      caches.open(cacheName).then((cache) => cache.put(fallbackUrl ?? request, copy));
    }
    return response;
  } catch (error) {
    const cached = await caches.match(fallbackUrl ?? request);
    if (cached) return cached;
    if (fallbackUrl) {
      const shell = await caches.match('/');
      if (shell) return shell;
    }
    throw error;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== 'GET') return;
  if (url.pathname.startsWith('/hooks/') || url.pathname.startsWith('/api/v1/auth/discord')) return;
  // Run event streams never end while the run goes on: caching (or cloning) them would hold them open.
  if ((request.headers.get('accept') ?? '').includes('text/event-stream')) return;
  if (request.mode === 'navigate') {
    if (url.pathname.startsWith('/api/') || url.pathname === '/privacy') return;
    event.respondWith(networkFirst(request, SHELL_CACHE, '/'));
    return;
  }
  if (url.pathname.startsWith('/api/')) {
    event.respondWith(networkFirst(request, API_CACHE));
    return;
  }
  if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(request));
  else if (url.pathname !== '/privacy' && !url.pathname.startsWith('/privacy.')) event.respondWith(networkFirst(request, SHELL_CACHE));
});
