import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from './platform';
import { createTestPlatform } from './test-platform';
import { callAs, signUp as signUpAs, type Session } from './test-sessions';

/**
 * The modules wired together as `weft start` wires them: sign-up makes a
 * personal workspace, a workflow published there answers its webhook, the
 * run shows up in the run API, and nothing of it is visible to another user.
 */
let platform: Platform;
beforeAll(async () => {
  platform = await createTestPlatform();
  await platform.start();
  await platform.app.ready();
});
afterAll(async () => {
  await platform.close();
});

const signUp = (username: string) => signUpAs(platform, username);
const call = (session: Session, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => callAs(platform, session, method, url, payload);

const W1_GRAPH = {
  nodes: [
    { id: 'hook', type: 'trigger.webhook', version: 1, name: 'Webhook', params: { path: 'w1', method: 'POST', mode: 'sync' }, position: { x: 0, y: 0 } },
    { id: 'shape', type: 'transform', version: 1, name: 'Shape', params: { source: 'body', mapping: { sum: 'a + 1', greeting: '"hi " & name' } }, position: { x: 200, y: 0 } },
    { id: 'reply', type: 'respond', version: 1, name: 'Reply', params: { status: 200 }, position: { x: 400, y: 0 } },
  ],
  edges: [
    { from: 'hook', fromPort: 'main', to: 'shape', toPort: 'main' },
    { from: 'shape', fromPort: 'main', to: 'reply', toPort: 'main' },
  ],
};

describe('the platform wired together', () => {
  it('signs up with a personal workspace, publishes W1, answers its webhook and lists the run', async () => {
    const ada = await signUp('ada');
    const workspaces = await call(ada, 'GET', '/api/v1/workspaces');
    expect(workspaces.statusCode).toBe(200);
    const personal = JSON.stringify(workspaces.json());
    expect(personal).toContain('"slug":"ada"');

    const created = await call(ada, 'POST', '/api/v1/workspaces/ada/workflows', { name: 'W1', graph: W1_GRAPH });
    expect(created.statusCode).toBe(201);
    const workflowId = created.json().id;
    const published = await call(ada, 'POST', `/api/v1/workspaces/ada/workflows/${workflowId}/publish`, { message: 'first' });
    expect(published.statusCode).toBe(201);

    const hook = await platform.app.inject({ method: 'POST', url: '/hooks/ada/w1', payload: { a: 41, name: 'bob' } });
    expect(hook.statusCode).toBe(200);
    expect(hook.json()).toEqual({ sum: 42, greeting: 'hi bob' });

    const runs = await call(ada, 'GET', '/api/v1/workspaces/ada/runs');
    expect(runs.statusCode).toBe(200);
    expect(runs.json().items[0]).toMatchObject({ workflowId, status: 'succeeded' });

    // Another user sees none of it.
    const eve = await signUp('eve');
    expect((await call(eve, 'GET', `/api/v1/workspaces/ada/workflows/${workflowId}`)).statusCode).toBe(404);
    expect((await call(eve, 'GET', '/api/v1/workspaces/ada/runs')).statusCode).toBe(404);
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const grace = await signUp('grace');
    const res = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/workspaces',
      headers: { cookie: grace.cookie },
      payload: { name: 'Team', slug: 'grace-team' },
    });
    expect(res.statusCode).toBe(403);
    const list = await call(grace, 'GET', '/api/v1/workspaces');
    expect(JSON.stringify(list.json())).not.toContain('grace-team');
  });

  it('exports everything about the signed-in user in one request', async () => {
    const linus = await signUp('linus');
    const res = await call(linus, 'GET', '/api/v1/me/export');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body.modules)).toEqual(expect.arrayContaining(['accounts', 'workspaces', 'audit']));
    expect(JSON.stringify(body.modules.accounts)).toContain('linus@example.test');
    expect(JSON.stringify(body)).not.toMatch(/\$argon2id\$/);
  });
});
