import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from './platform';
import { createTestPlatform } from './test-platform';
import { publishWorkflow, signUp } from './test-sessions';
import { createWebhookSubdomainRewrite } from './webhook-subdomains';

const W1 = {
  nodes: [
    { id: 'hook', type: 'trigger.webhook', version: 1, name: 'Hook', params: { path: 'orders/new', method: 'POST', mode: 'sync' }, position: { x: 0, y: 0 } },
    { id: 'shape', type: 'transform', version: 1, name: 'Shape', params: { source: 'body', mapping: { sum: 'a + 1' } }, position: { x: 200, y: 0 } },
    { id: 'reply', type: 'respond', version: 1, name: 'Reply', params: { status: 200 }, position: { x: 400, y: 0 } },
  ],
  edges: [
    { from: 'hook', fromPort: 'main', to: 'shape', toPort: 'main' },
    { from: 'shape', fromPort: 'main', to: 'reply', toPort: 'main' },
  ],
};

let platform: Platform;
beforeAll(async () => {
  platform = await createTestPlatform({ WEFT_WEBHOOK_DOMAIN: 'hooks.example.test' });
  await platform.start();
  await platform.app.ready();
  await publishWorkflow(platform, await signUp(platform, 'acme'), 'Orders', W1);
});
afterAll(async () => {
  await platform.close();
});

describe('hosted webhook subdomains', () => {
  it('serves <slug>.WEFT_WEBHOOK_DOMAIN/<path> as the workspace webhook, and the long form still works', async () => {
    const short = await platform.app.inject({ method: 'POST', url: '/orders/new', headers: { host: 'acme.hooks.example.test:443' }, payload: { a: 41 } });
    expect([short.statusCode, short.json()]).toEqual([200, { sum: 42 }]);
    const long = await platform.app.inject({ method: 'POST', url: '/hooks/acme/orders/new', payload: { a: 1 } });
    expect(long.json()).toEqual({ sum: 2 });
  });

  it("another workspace's subdomain, or another host, does not reach it", async () => {
    const other = await platform.app.inject({ method: 'POST', url: '/orders/new', headers: { host: 'globex.hooks.example.test' }, payload: { a: 1 } });
    expect([other.statusCode, other.json().error.code]).toEqual([404, 'WEBHOOK_NOT_FOUND']);
    const plain = await platform.app.inject({ method: 'POST', url: '/orders/new', headers: { host: 'weft.example.test' }, payload: { a: 1 } });
    expect(plain.statusCode).toBe(404);
    expect(plain.json().error.code).not.toBe('WEBHOOK_NOT_FOUND');
  });

  it('leaves hosts that are not a single slug under the domain alone', () => {
    const rewrite = createWebhookSubdomainRewrite('hooks.example.test');
    expect(rewrite({ url: '/x', headers: { host: 'a.b.hooks.example.test' } })).toBe('/x');
    expect(rewrite({ url: '/x', headers: { host: 'hooks.example.test' } })).toBe('/x');
    expect(rewrite({ url: '/x?y=1', headers: { host: 'team-1.hooks.example.test' } })).toBe('/hooks/team-1/x?y=1');
  });
});
