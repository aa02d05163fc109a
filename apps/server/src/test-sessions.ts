import { expect } from 'vitest';
import type { Platform } from './platform';

/** A signed-up user of a test platform: the session cookie and the CSRF token its writes need. */
export interface Session {
  cookie: string;
  csrf: string;
  username: string;
}

export async function signUp(platform: Platform, username: string): Promise<Session> {
  const res = await platform.app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email: `${username}@example.test`, username, password: 'a-long-and-unusual-passphrase-9' },
  });
  expect(res.statusCode).toBe(201);
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { cookie, csrf: res.json().csrfToken, username };
}

export function callAs(platform: Platform, session: Session, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  return platform.app.inject({
    method,
    url,
    headers: { cookie: session.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrf }) },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

/** Creates a workflow in the user's personal workspace and publishes it; returns its id. */
export async function publishWorkflow(platform: Platform, session: Session, name: string, graph: unknown, settings: Record<string, unknown> = {}): Promise<string> {
  const workspace = session.username;
  const created = await callAs(platform, session, 'POST', `/api/v1/workspaces/${workspace}/workflows`, { name, graph, settings });
  expect(created.statusCode, created.body).toBe(201);
  const workflowId = created.json().id as string;
  const published = await callAs(platform, session, 'POST', `/api/v1/workspaces/${workspace}/workflows/${workflowId}/publish`, { message: 'test' });
  expect(published.statusCode, published.body).toBe(201);
  return workflowId;
}
