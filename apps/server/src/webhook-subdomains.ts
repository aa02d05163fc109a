/**
 * Hosted webhook addresses: with `WEFT_WEBHOOK_DOMAIN=hooks.example.com`, a
 * request to `acme.hooks.example.com/orders/new` is routed as
 * `/hooks/acme/orders/new`, so each team workspace gets its own host (its
 * slug) and the path is all its own. Other hosts are left alone.
 */
export function createWebhookSubdomainRewrite(domain: string) {
  const suffix = `.${domain.toLowerCase()}`;
  const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
  return (request: { url?: string; headers: Record<string, string | string[] | undefined> }): string => {
    const url = request.url ?? '/';
    const hostHeader = request.headers.host;
    const host = (typeof hostHeader === 'string' ? hostHeader : '').toLowerCase().replace(/:\d+$/, '');
    if (!host.endsWith(suffix)) return url;
    const slug = host.slice(0, -suffix.length);
    if (!SLUG.test(slug)) return url;
    // Already a full /hooks/ address (someone pasted the long form): leave it.
    if (url.startsWith('/hooks/')) return url;
    return `/hooks/${slug}${url.startsWith('/') ? url : `/${url}`}`;
  };
}
