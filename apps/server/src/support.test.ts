import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOutbox } from '@weft/mailer';
import type { Platform } from './platform';
import { createTestPlatform } from './test-platform';
import { callAs, signUp, type Session } from './test-sessions';

/**
 * Support as `weft start` wires it: a signed-up user asks, an instance
 * administrator answers, the user's address (from the accounts module) gets
 * the mail in the outbox, and the request is part of the user's export.
 */
let platform: Platform;
let staff: Session;

beforeAll(async () => {
  platform = await createTestPlatform();
  await platform.app.ready();
  await platform.modules.accounts.api.createUser({ email: 'staff@example.test', username: 'helper', password: 'a-long-and-unusual-passphrase-9', isAdmin: true });
  const login = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'helper', password: 'a-long-and-unusual-passphrase-9' } });
  staff = { cookie: login.cookies.map((c) => `${c.name}=${c.value}`).join('; '), csrf: login.json().csrfToken, username: 'helper' };
});
afterAll(async () => {
  await platform?.close();
});

describe('support, wired', () => {
  it('a user asks, staff answer, the user gets the answer by mail and finds the ticket in their export', async () => {
    const dana = await signUp(platform, 'dana');
    const opened = await callAs(platform, dana, 'POST', '/api/v1/support/tickets', { subject: 'Where are my runs?', body: 'The list is empty.' });
    expect(opened.statusCode, opened.body).toBe(201);
    const id = opened.json().id as string;

    // The administrator heard of it by mail (the accounts module lists administrators).
    expect(listOutbox(join(platform.config.dataDir, 'outbox')).find((item) => item.to === 'staff@example.test')?.subject).toBe('Support request: Where are my runs?');
    const inbox = await callAs(platform, staff, 'GET', '/api/v1/admin/support/tickets?status=open');
    expect(inbox.json().items).toEqual([expect.objectContaining({ id, requester: expect.objectContaining({ username: 'dana' }) })]);
    const answered = await callAs(platform, staff, 'POST', `/api/v1/admin/support/tickets/${id}/messages`, { body: 'Runs are kept 30 days by default.' });
    expect(answered.statusCode, answered.body).toBe(200);

    const mail = listOutbox(join(platform.config.dataDir, 'outbox')).find((item) => item.to === 'dana@example.test' && item.subject === 'Re: Where are my runs?');
    expect(mail?.text).toContain('Runs are kept 30 days by default.');

    const exported = await callAs(platform, dana, 'GET', '/api/v1/me/export');
    expect(JSON.stringify(exported.json())).toContain('Runs are kept 30 days by default.');
  });
});
