import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from './platform';
import { createTestPlatform } from './test-platform';
import { callAs, publishWorkflow, signUp, type Session } from './test-sessions';

/**
 * Webhook triggers with auth, through the whole platform: credentials from
 * the vault, every refusal answered in the API's error shape before a run
 * exists, and a correct signature starting exactly one run.
 */
let platform: Platform;
let ada: Session;
let eve: Session;
beforeAll(async () => {
  platform = await createTestPlatform({ WEFT_BODY_LIMIT_BYTES: '4096' });
  await platform.start();
  await platform.app.ready();
  ada = await signUp(platform, 'ada');
  eve = await signUp(platform, 'eve');
});
afterAll(async () => {
  await platform.close();
});

async function createCredential(session: Session, type: string, data: Record<string, unknown>): Promise<string> {
  const res = await callAs(platform, session, 'POST', `/api/v1/workspaces/${session.username}/credentials`, { type, name: `${type} ${Math.random()}`, data });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

function hookGraph(path: string, params: Record<string, unknown>) {
  return {
    nodes: [
      { id: 'hook', type: 'trigger.webhook', version: 1, name: 'Hook', params: { path, method: 'POST', mode: 'sync', ...params }, position: { x: 0, y: 0 } },
      { id: 'reply', type: 'respond', version: 1, name: 'Reply', params: { status: 200 }, position: { x: 200, y: 0 } },
    ],
    edges: [{ from: 'hook', fromPort: 'main', to: 'reply', toPort: 'main' }],
  };
}

async function countRuns(session: Session, workflowId: string): Promise<number> {
  const res = await callAs(platform, session, 'GET', `/api/v1/workspaces/${session.username}/runs?workflowId=${workflowId}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as unknown[]).length;
}

function post(url: string, body: string, headers: Record<string, string> = {}) {
  return platform.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json', ...headers } });
}

const hex = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('hex');
const now = () => Math.floor(Date.now() / 1000);

function expectRefused(res: { statusCode: number; json(): { error: { code: string } } }, status: number, code: string): void {
  expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
}

describe('webhook auth', () => {
  it('Stripe-style signature: missing, wrong, stale or over a changed body → 401 and no run; the right one runs', async () => {
    const secret = 'whsec_stripe_style_secret';
    const credentialId = await createCredential(ada, 'hmac-secret', { secret });
    const workflowId = await publishWorkflow(platform, ada, 'stripe', hookGraph('stripe', { auth: { type: 'hmac-sha256', style: 'stripe', credentialId, toleranceSeconds: 300 } }), { savingPolicy: 'all' });
    const body = JSON.stringify({ type: 'invoice.paid', amount: 1200 });
    const signed = (t: number, payload = body) => `t=${t},v1=${hex(secret, `${t}.${payload}`)}`;

    expectRefused(await post('/hooks/ada/stripe', body), 401, 'WEBHOOK_UNAUTHORIZED');
    expectRefused(await post('/hooks/ada/stripe', body, { 'stripe-signature': `t=${now()},v1=${hex('wrong', `${now()}.${body}`)}` }), 401, 'WEBHOOK_UNAUTHORIZED');
    expectRefused(await post('/hooks/ada/stripe', body, { 'stripe-signature': signed(now() - 3600) }), 401, 'WEBHOOK_UNAUTHORIZED');
    expectRefused(await post('/hooks/ada/stripe', body.replace('1200', '9999'), { 'stripe-signature': signed(now()) }), 401, 'WEBHOOK_UNAUTHORIZED');
    expect(await countRuns(ada, workflowId)).toBe(0);

    const accepted = await post('/hooks/ada/stripe', body, { 'stripe-signature': signed(now()) });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().body).toEqual({ type: 'invoice.paid', amount: 1200 });
    expect(await countRuns(ada, workflowId)).toBe(1);
  });

  it('GitHub-style and generic signatures with a timestamp header', async () => {
    const secret = 'github-webhook-secret';
    const credentialId = await createCredential(ada, 'hmac-secret', { secret });
    await publishWorkflow(platform, ada, 'github', hookGraph('github', { auth: { type: 'hmac-sha256', style: 'github', credentialId } }));
    await publishWorkflow(
      platform,
      ada,
      'generic',
      hookGraph('generic', { auth: { type: 'hmac-sha256', style: 'generic', credentialId, header: 'X-Signature', timestampHeader: 'X-Timestamp', toleranceSeconds: 60 } }),
    );
    const body = '{"action":"opened"}';
    expect((await post('/hooks/ada/github', body, { 'x-hub-signature-256': `sha256=${hex(secret, body)}` })).statusCode).toBe(200);
    expectRefused(await post('/hooks/ada/github', body, { 'x-hub-signature-256': `sha256=${hex(secret, `${body} `)}` }), 401, 'WEBHOOK_UNAUTHORIZED');

    const t = String(now());
    expect((await post('/hooks/ada/generic', body, { 'x-signature': hex(secret, `${t}.${body}`), 'x-timestamp': t })).statusCode).toBe(200);
    const stale = String(now() - 120);
    expectRefused(await post('/hooks/ada/generic', body, { 'x-signature': hex(secret, `${stale}.${body}`), 'x-timestamp': stale }), 401, 'WEBHOOK_UNAUTHORIZED');
    expectRefused(await post('/hooks/ada/generic', body, { 'x-signature': hex(secret, body) }), 401, 'WEBHOOK_UNAUTHORIZED');
  });

  it('bearer and basic auth check the Authorization header against the credential', async () => {
    const bearerId = await createCredential(ada, 'bearer-token', { token: 'tok_live_42' });
    const basicId = await createCredential(ada, 'basic-auth', { username: 'zapier', password: 'pa55-word' });
    await publishWorkflow(platform, ada, 'bearer', hookGraph('bearer', { auth: { type: 'bearer', credentialId: bearerId } }));
    await publishWorkflow(platform, ada, 'basic', hookGraph('basic', { auth: { type: 'basic', credentialId: basicId } }));

    expect((await post('/hooks/ada/bearer', '{}', { authorization: 'Bearer tok_live_42' })).statusCode).toBe(200);
    expect((await post('/hooks/ada/bearer', '{}', { authorization: 'bearer tok_live_42' })).statusCode).toBe(200);
    expectRefused(await post('/hooks/ada/bearer', '{}', { authorization: 'Bearer tok_live_4' }), 401, 'WEBHOOK_UNAUTHORIZED');
    expectRefused(await post('/hooks/ada/bearer', '{}'), 401, 'WEBHOOK_UNAUTHORIZED');
    const basic = `Basic ${Buffer.from('zapier:pa55-word').toString('base64')}`;
    expect((await post('/hooks/ada/basic', '{}', { authorization: basic })).statusCode).toBe(200);
    expectRefused(await post('/hooks/ada/basic', '{}', { authorization: `Basic ${Buffer.from('zapier:nope').toString('base64')}` }), 401, 'WEBHOOK_UNAUTHORIZED');
  });

  it("a trigger naming another workspace's credential refuses every request", async () => {
    const evesSecret = await createCredential(eve, 'bearer-token', { token: 'eves-token' });
    const workflowId = await publishWorkflow(platform, ada, 'borrowed', hookGraph('borrowed', { auth: { type: 'bearer', credentialId: evesSecret } }), { savingPolicy: 'all' });
    expectRefused(await post('/hooks/ada/borrowed', '{}', { authorization: 'Bearer eves-token' }), 401, 'WEBHOOK_UNAUTHORIZED');
    expect(await countRuns(ada, workflowId)).toBe(0);
  });
});

describe('webhook bodies', () => {
  it('too large → 413, a content type the trigger does not take → 415, neither leaves a run', async () => {
    const workflowId = await publishWorkflow(platform, ada, 'json-only', hookGraph('json-only', { contentTypes: ['json'] }), { savingPolicy: 'all' });
    expectRefused(await post('/hooks/ada/json-only', JSON.stringify({ blob: 'x'.repeat(5000) })), 413, 'PAYLOAD_TOO_LARGE');
    expectRefused(await post('/hooks/ada/json-only', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectRefused(await post('/hooks/ada/json-only', '<a/>', { 'content-type': 'application/xml' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await countRuns(ada, workflowId)).toBe(0);
    expect((await post('/hooks/ada/json-only', '{"ok":true}')).statusCode).toBe(200);
    expect(await countRuns(ada, workflowId)).toBe(1);
  });

  it('parses form and text bodies for triggers that accept every kind', async () => {
    await publishWorkflow(platform, ada, 'any-body', hookGraph('any-body', {}));
    const form = await post('/hooks/ada/any-body', 'name=Ada&role=admin', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.json().body).toEqual({ name: 'Ada', role: 'admin' });
    const text = await post('/hooks/ada/any-body', 'hello there', { 'content-type': 'text/plain; charset=utf-8' });
    expect(text.json().body).toBe('hello there');
  });
});
