import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from './platform';
import { createTestPlatform } from './test-platform';
import { callAs, publishWorkflow, signUp, type Session } from './test-sessions';

/**
 * Credentials reach a running step only inside the run's workspace, and the
 * secret never lands in what the run stores — even when the remote service
 * echoes it back.
 */
let platform: Platform;
let echo: Server;
let echoUrl: string;
let ada: Session;
let eve: Session;
beforeAll(async () => {
  // Echoes the Authorization header it received, the way a careless API or a debugging endpoint would.
  echo = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ sawAuthorization: request.headers.authorization ?? null }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/echo`;
  platform = await createTestPlatform({ WEFT_EGRESS_ALLOW_PRIVATE_NETWORKS: 'true' });
  await platform.start();
  await platform.app.ready();
  ada = await signUp(platform, 'ada');
  eve = await signUp(platform, 'eve');
});
afterAll(async () => {
  await platform.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

async function createBearer(session: Session, token: string): Promise<string> {
  const res = await callAs(platform, session, 'POST', `/api/v1/workspaces/${session.username}/credentials`, { type: 'bearer-token', name: `token ${token}`, data: { token } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

function callerGraph(path: string, credentialId: string) {
  return {
    nodes: [
      { id: 'hook', type: 'trigger.webhook', version: 1, name: 'Hook', params: { path, method: 'POST', mode: 'sync' }, position: { x: 0, y: 0 } },
      { id: 'call', type: 'http.request', version: 1, name: 'Call', credentialId, params: { method: 'GET', url: echoUrl, auth: 'bearer-token', retries: 0 }, position: { x: 200, y: 0 } },
      { id: 'reply', type: 'respond', version: 1, name: 'Reply', params: { status: 200 }, position: { x: 400, y: 0 } },
    ],
    edges: [
      { from: 'hook', fromPort: 'main', to: 'call', toPort: 'main' },
      { from: 'call', fromPort: 'main', to: 'reply', toPort: 'main' },
    ],
  };
}

async function latestRun(session: Session, workflowId: string) {
  const list = await callAs(platform, session, 'GET', `/api/v1/workspaces/${session.username}/runs?workflowId=${workflowId}`);
  const runId = list.json().items[0].id as string;
  const detail = await callAs(platform, session, 'GET', `/api/v1/workspaces/${session.username}/runs/${runId}`);
  expect(detail.statusCode).toBe(200);
  return detail.json();
}

describe('credentials in runs', () => {
  it('sends the secret to the remote service and keeps it out of every stored step', async () => {
    const secret = 'tok_live_very_secret_value_7781';
    const credentialId = await createBearer(ada, secret);
    const workflowId = await publishWorkflow(platform, ada, 'caller', callerGraph('caller', credentialId), { savingPolicy: 'all' });
    const hook = await platform.app.inject({ method: 'POST', url: '/hooks/ada/caller', payload: {} });
    expect(hook.statusCode, hook.body).toBe(200);
    // The workflow's own reply is what its author chose to send: the real value went out and came back.
    expect(hook.json().body).toEqual({ sawAuthorization: `Bearer ${secret}` });

    const run = await latestRun(ada, workflowId);
    expect(run.status ?? run.run?.status).toBe('succeeded');
    const stored = JSON.stringify(run);
    expect(stored).not.toContain(secret);
    expect(stored).toContain('Bearer [redacted]');
  });

  it("a workflow of one workspace cannot use another workspace's credential", async () => {
    const evesCredential = await createBearer(eve, 'eves-private-token-0042');
    // Publishing already refuses the reference …
    const created = await callAs(platform, ada, 'POST', '/api/v1/workspaces/ada/workflows', { name: 'borrow', graph: callerGraph('borrow', evesCredential) });
    expect(created.statusCode).toBe(201);
    const publish = await callAs(platform, ada, 'POST', `/api/v1/workspaces/ada/workflows/${created.json().id}/publish`, { message: 'try' });
    expect(publish.statusCode).toBe(422);
    expect(JSON.stringify(publish.json())).toContain('does not exist in this workspace');
  });
});
