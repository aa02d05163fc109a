/** Registers the offline shell in production builds (a dev server's modules change too often to cache). */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // No offline shell (private mode, blocked): the app works the same online.
    });
  });
}

/** Cached API answers hold personal data: drop them when the user signs out. */
export function clearCachedApiResponses(): void {
  navigator.serviceWorker?.controller?.postMessage({ type: 'clear-api-cache' });
}
