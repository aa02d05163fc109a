import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { TicketPage, TicketThread } from '@weft/contracts';
import { createAuditModule, type AuditModule } from '@weft/audit';
import { createLocalMediaStore } from '@weft/content';
import { queryRows } from '@weft/db';
import { createManualClock, newId } from '@weft/kernel';
import { breakableOnce, createTestDatabase, startRoutesApp, testCallerHeaders, type TestCaller as Caller, type TestDatabase } from '@weft/testing';
import { createSupportModule, type SupportModule } from './index';

/**
 * Support tickets through their routes, on a real database with the real
 * audit module. `x-test-user` / `x-test-admin` stand in for sign-in; mails
 * the module sends are collected instead of delivered.
 */
let database: TestDatabase;
let app: FastifyInstance;
let audit: AuditModule;
let support: SupportModule;
const clock = createManualClock(new Date('2026-06-01T00:00:00Z'));
const ann: Caller = { id: newId() };
const bob: Caller = { id: newId() };
const staff: Caller = { id: newId(), isAdmin: true };
const users = new Map([
  [ann.id, { email: 'ann@example.test', username: 'ann' }],
  [bob.id, { email: 'bob@example.test', username: 'bob' }],
]);
const mails: { to: string; subject: string; text: string }[] = [];
const mailErrors: string[] = [];
/** Make the next audit entry, or the next mail, fail. */
let breakAuditLog: () => void;
let breakMail: () => void;
const filesDir = join(mkdtempSync(join(tmpdir(), 'weft-support-')), 'files');

function call(caller: Caller | null, method: InjectOptions['method'], url: string, payload?: unknown) {
  // One address per person: opening tickets is rate-limited per address.
  return app.inject({ method, url, headers: testCallerHeaders(caller), payload: payload as InjectOptions['payload'], remoteAddress: caller ? addressOf(caller.id) : '198.51.100.1' });
}

const addresses = new Map<string, string>();
function addressOf(userId: string): string {
  if (!addresses.has(userId)) addresses.set(userId, `198.51.100.${addresses.size + 10}`);
  return addresses.get(userId)!;
}

async function open(caller: Caller, subject: string, body = 'Please help.'): Promise<TicketThread> {
  const res = await call(caller, 'POST', '/api/v1/support/tickets', { subject, body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<TicketThread>();
}

beforeAll(async () => {
  database = await createTestDatabase();
  audit = createAuditModule({ database, clock, ipHashKey: 'test-ip-key' });
  const auditLog = breakableOnce(audit.api.recordAudit, 'audit log unavailable');
  const mailer = breakableOnce(async (message: { to: string; subject: string; text: string }) => void mails.push(message), 'SMTP server unreachable');
  breakAuditLog = auditLog.breakNext;
  breakMail = mailer.breakNext;
  support = createSupportModule({
    database,
    clock,
    recordAudit: auditLog.call,
    findUser: async (id) => users.get(id) ?? null,
    findUsernames: async (ids) => new Map(ids.flatMap((id) => (users.has(id) ? [[id, users.get(id)!.username] as const] : []))),
    sendMail: mailer.call,
    onMailError: (_error, ticketId) => mailErrors.push(ticketId),
    listStaff: async () => [{ email: 'staff@example.test', username: 'staff' }],
    publicUrl: 'https://weft.test',
    files: createLocalMediaStore(filesDir),
  });
  app = await startRoutesApp(support.routes);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('a user’s tickets', () => {
  it('opens a ticket with its first message; only its user sees it, in both directions', async () => {
    const annTicket = await open(ann, 'Webhook returns 500', 'My webhook answers 500 since this morning.');
    expect(annTicket).toMatchObject({ subject: 'Webhook returns 500', status: 'open', closedAt: null });
    expect(annTicket.messages).toEqual([expect.objectContaining({ authorRole: 'user', body: 'My webhook answers 500 since this morning.' })]);
    expect(annTicket).not.toHaveProperty('requester');
    const bobTicket = await open(bob, 'Billing question');

    for (const [reader, own, other] of [[ann, annTicket, bobTicket], [bob, bobTicket, annTicket]] as const) {
      const listed = (await call(reader, 'GET', '/api/v1/support/tickets')).json<TicketPage>().items.map((ticket) => ticket.id);
      expect(listed).toContain(own.id);
      expect(listed).not.toContain(other.id);
      for (const [method, url, payload] of [
        ['GET', `/api/v1/support/tickets/${other.id}`],
        ['POST', `/api/v1/support/tickets/${other.id}/messages`, { body: 'sneaky' }],
        ['POST', `/api/v1/support/tickets/${other.id}/close`],
      ] as const) {
        const res = await call(reader, method, url, payload);
        expect([res.statusCode, res.json().error.code], url).toEqual([404, 'TICKET_NOT_FOUND']);
      }
    }
    const untouched = (await call(bob, 'GET', `/api/v1/support/tickets/${bobTicket.id}`)).json<TicketThread>();
    expect(untouched).toMatchObject({ status: 'open', messages: [expect.objectContaining({ body: 'Please help.' })] });
  });

  it('pages through a user’s tickets by last activity', async () => {
    for (const subject of ['one', 'two', 'three']) {
      clock.advance(1000);
      await open(ann, subject);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: TicketPage = (await call(ann, 'GET', `/api/v1/support/tickets?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json<TicketPage>();
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((ticket) => ticket.subject));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.slice(0, 3)).toEqual(['three', 'two', 'one']);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('limits how many tickets one address opens in an hour', async () => {
    const flooder: Caller = { id: newId() };
    for (let i = 0; i < 20; i += 1) await open(flooder, `Ticket ${i}`);
    const res = await call(flooder, 'POST', '/api/v1/support/tickets', { subject: 'One too many', body: 'x' });
    expect([res.statusCode, res.json().error.code]).toEqual([429, 'RATE_LIMITED']);
    expect((await call(flooder, 'GET', '/api/v1/support/tickets?limit=200')).json<TicketPage>().items).toHaveLength(20);
  });

  it('refuses bad input with every problem named, and anonymous callers', async () => {
    const res = await call(ann, 'POST', '/api/v1/support/tickets', { subject: ' ', body: 'x'.repeat(10_001), cc: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((issue: { path: string }) => issue.path).sort()).toEqual(['', 'body', 'subject']);
    const injected = await call(ann, 'POST', '/api/v1/support/tickets', { subject: 'Hi\r\nBcc: everyone@example.test', body: 'x' });
    expect(injected.json().error.details).toEqual([expect.objectContaining({ path: 'subject', message: 'One line, without control characters' })]);
    expect((await call(ann, 'GET', '/api/v1/support/tickets?status=waiting')).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'status' })] });
    const ticket = await open(ann, 'Empty reply');
    expect((await call(ann, 'POST', `/api/v1/support/tickets/${ticket.id}/messages`, { body: '   ' })).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'body', message: 'Write a message' })] });
    expect((await call(null, 'GET', '/api/v1/support/tickets')).statusCode).toBe(401);
    expect((await call(ann, 'GET', '/api/v1/support/tickets/not-an-id')).json().error.code).toBe('TICKET_NOT_FOUND');
  });
});

describe('staff', () => {
  it('see every ticket with who asked, answer it (audited, the user told by mail), and the states follow the conversation', async () => {
    const ticket = await open(bob, 'Cannot connect my bot', 'It says the token is invalid.');
    const inbox = (await call(staff, 'GET', '/api/v1/admin/support/tickets?status=open&limit=200')).json<TicketPage>().items;
    expect(inbox.find((item) => item.id === ticket.id)).toMatchObject({ requester: { id: bob.id, username: 'bob' } });
    expect(inbox.map((item) => item.requester!.username)).toEqual(expect.arrayContaining(['ann', 'bob']));

    clock.advance(60_000);
    const answered = await call(staff, 'POST', `/api/v1/admin/support/tickets/${ticket.id}/messages`, { body: 'Reset the token in the Developer Portal and paste the new one.' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json<TicketThread>()).toMatchObject({ status: 'answered', lastMessageAt: clock.now().toISOString() });
    // Staff heard of the request when it was opened.
    expect(mails).toContainEqual({
      to: 'staff@example.test',
      subject: 'Support request: Cannot connect my bot',
      text: expect.stringContaining(`It says the token is invalid.\n\nAnswer it: https://weft.test/admin/support/${ticket.id}`),
    });
    expect(mails.at(-1)).toEqual({
      to: 'bob@example.test',
      subject: 'Re: Cannot connect my bot',
      text: expect.stringContaining(`Reset the token in the Developer Portal and paste the new one.\n\nRead it and reply: https://weft.test/support/${ticket.id}`),
    });
    expect((await audit.api.listAudit({ targetId: ticket.id }, 10)).map((entry) => [entry.action, entry.actorId])).toEqual([['support.ticket.answered', staff.id]]);

    // The user sees the answer as "staff", not which administrator wrote it.
    const seen = (await call(bob, 'GET', `/api/v1/support/tickets/${ticket.id}`)).json<TicketThread>();
    expect(seen.messages.map((message) => message.authorRole)).toEqual(['user', 'staff']);
    expect(JSON.stringify(seen)).not.toContain(staff.id);

    expect((await call(bob, 'POST', `/api/v1/support/tickets/${ticket.id}/messages`, { body: 'Still failing.' })).json<TicketThread>().status).toBe('open');
    expect(mails.at(-1)).toMatchObject({ to: 'staff@example.test', subject: 'Support reply: Cannot connect my bot', text: expect.stringContaining('Still failing.') });
    expect((await call(bob, 'POST', `/api/v1/support/tickets/${ticket.id}/close`)).json<TicketThread>()).toMatchObject({ status: 'closed', closedAt: clock.now().toISOString() });
    const late = await call(staff, 'POST', `/api/v1/admin/support/tickets/${ticket.id}/messages`, { body: 'One more thing' });
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'TICKET_CLOSED']);
    // The user reopens it by replying.
    const reopened = (await call(bob, 'POST', `/api/v1/support/tickets/${ticket.id}/messages`, { body: 'It broke again.' })).json<TicketThread>();
    expect(reopened).toMatchObject({ status: 'open', closedAt: null });
    expect((await call(staff, 'POST', `/api/v1/admin/support/tickets/${ticket.id}/close`)).json<TicketThread>().status).toBe('closed');
    expect((await audit.api.listAudit({ targetId: ticket.id }, 10)).map((entry) => entry.action)).toEqual(['support.ticket.closed', 'support.ticket.answered']);
  });

  it('routes for staff refuse users who are not instance administrators', async () => {
    const ticket = await open(ann, 'Staff only?');
    for (const [method, url, payload] of [
      ['GET', '/api/v1/admin/support/tickets'],
      ['GET', `/api/v1/admin/support/tickets/${ticket.id}`],
      ['POST', `/api/v1/admin/support/tickets/${ticket.id}/messages`, { body: 'I am staff, trust me' }],
      ['POST', `/api/v1/admin/support/tickets/${ticket.id}/close`],
    ] as const) {
      expect((await call(ann, method, url, payload)).statusCode, url).toBe(403);
      expect((await call(null, method, url, payload)).statusCode, url).toBe(401);
    }
    expect((await call(ann, 'GET', `/api/v1/support/tickets/${ticket.id}`)).json<TicketThread>()).toMatchObject({ status: 'open', messages: [expect.anything()] });
  });

  it('an answer whose audit entry fails is not saved and mails nobody; a mail that fails does not lose the answer', async () => {
    const ticket = await open(ann, 'Rollback check');
    const mailsBefore = mails.length;
    breakAuditLog();
    expect((await call(staff, 'POST', `/api/v1/admin/support/tickets/${ticket.id}/messages`, { body: 'lost' })).statusCode).toBe(500);
    expect((await call(ann, 'GET', `/api/v1/support/tickets/${ticket.id}`)).json<TicketThread>()).toMatchObject({ status: 'open', messages: [expect.objectContaining({ body: 'Please help.' })] });
    expect(mails).toHaveLength(mailsBefore);

    breakMail();
    const kept = await call(staff, 'POST', `/api/v1/admin/support/tickets/${ticket.id}/messages`, { body: 'kept' });
    expect(kept.statusCode).toBe(200);
    expect(mailErrors).toContain(ticket.id);
    expect((await call(ann, 'GET', `/api/v1/support/tickets/${ticket.id}`)).json<TicketThread>().messages.map((message) => message.body)).toEqual(['Please help.', 'kept']);
  });
});

function attach(caller: Caller, url: string, filename: string, bytes: Buffer | string, contentType = 'application/octet-stream') {
  return app.inject({
    method: 'POST',
    url: `${url}/attachments?filename=${encodeURIComponent(filename)}`,
    headers: { ...testCallerHeaders(caller), 'content-type': contentType },
    payload: bytes,
    remoteAddress: addressOf(caller.id),
  });
}

function storedFiles(): string[] {
  try {
    return readdirSync(filesDir);
  } catch {
    return [];
  }
}

const LOG = 'GET /hooks/ann/w1 500 12ms\nError: boom\n';

describe('files on a ticket', () => {
  it('a user adds a log and downloads it; staff download it too; nobody else reaches it', async () => {
    const ticket = await open(ann, 'With a log');
    const res = await attach(ann, `/api/v1/support/tickets/${ticket.id}`, 'server.log', LOG);
    expect(res.statusCode, res.body).toBe(201);
    const [file] = res.json<TicketThread>().attachments;
    expect(file).toMatchObject({ filename: 'server.txt', contentType: 'text/plain', sizeBytes: Buffer.byteLength(LOG), authorRole: 'user', url: `/api/v1/support/tickets/${ticket.id}/attachments/${file!.id}` });

    const download = await call(ann, 'GET', file!.url);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe(LOG);
    expect(download.headers).toMatchObject({
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': 'attachment; filename="server.txt"',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
    });
    const staffView = (await call(staff, 'GET', `/api/v1/admin/support/tickets/${ticket.id}`)).json<TicketThread>();
    expect(staffView.attachments[0]!.url).toBe(`/api/v1/admin/support/tickets/${ticket.id}/attachments/${file!.id}`);
    expect((await call(staff, 'GET', staffView.attachments[0]!.url)).body).toBe(LOG);

    expect((await call(bob, 'GET', file!.url)).json().error.code).toBe('TICKET_NOT_FOUND');
    expect((await attach(bob, `/api/v1/support/tickets/${ticket.id}`, 'x.txt', 'x')).json().error.code).toBe('TICKET_NOT_FOUND');
    expect((await call(ann, 'GET', `/api/v1/support/tickets/${ticket.id}/attachments/${newId()}`)).json().error.code).toBe('ATTACHMENT_NOT_FOUND');
    expect((await call(ann, 'GET', `/api/v1/admin/support/tickets/${ticket.id}/attachments/${file!.id}`)).statusCode).toBe(403);
  });

  it('refuses other kinds of file, other content types, large files, closed tickets and an eleventh file, and keeps no bytes of them', async () => {
    const ticket = await open(ann, 'Refusals');
    const url = `/api/v1/support/tickets/${ticket.id}`;
    const before = storedFiles().length;
    expect((await attach(ann, url, 'archive.zip', Buffer.from('504b0304140000000800', 'hex'))).json().error.code).toBe('ATTACHMENT_TYPE_REFUSED');
    expect((await attach(ann, url, 'x.png', 'x', 'image/png')).json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await attach(ann, url, 'big.txt', Buffer.alloc(5 * 1024 * 1024 + 1, 'a'))).json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await attach(ann, url, '', 'x')).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'filename', in: 'query' })] });
    for (let i = 0; i < 10; i += 1) expect((await attach(ann, url, `note-${i}.txt`, `note ${i}`)).statusCode).toBe(201);
    expect((await attach(ann, url, 'eleventh.txt', 'one too many')).json().error.code).toBe('TOO_MANY_ATTACHMENTS');
    await call(ann, 'POST', `${url}/close`);
    const closed = await open(ann, 'Closed one');
    await call(ann, 'POST', `/api/v1/support/tickets/${closed.id}/close`);
    expect((await attach(ann, `/api/v1/support/tickets/${closed.id}`, 'late.txt', 'late')).json().error.code).toBe('TICKET_CLOSED');
    expect(storedFiles()).toHaveLength(before + 10);
  });

  it('a file staff add is audited; if its audit entry fails, neither row nor bytes stay', async () => {
    const ticket = await open(bob, 'Staff file');
    const before = storedFiles().length;
    breakAuditLog();
    expect((await attach(staff, `/api/v1/admin/support/tickets/${ticket.id}`, 'howto.txt', 'do this')).statusCode).toBe(500);
    expect(storedFiles()).toHaveLength(before);
    const added = await attach(staff, `/api/v1/admin/support/tickets/${ticket.id}`, 'howto.txt', 'do this');
    expect(added.json<TicketThread>().attachments).toEqual([expect.objectContaining({ authorRole: 'staff', filename: 'howto.txt' })]);
    expect((await audit.api.listAudit({ targetId: ticket.id }, 10)).map((entry) => entry.action)).toEqual(['support.ticket.file_added']);
  });
});

describe('retention and data rights', () => {
  it('purges exactly the tickets whose last message is over three years old, with their messages', async () => {
    const old = await open(ann, 'Old question');
    const recent = await open(ann, 'Recent question');
    const oldFile = (await attach(ann, `/api/v1/support/tickets/${old.id}`, 'old.txt', 'old')).json<TicketThread>().attachments[0]!;
    const recentFile = (await attach(ann, `/api/v1/support/tickets/${recent.id}`, 'recent.txt', 'recent')).json<TicketThread>().attachments[0]!;
    const day = 86_400_000;
    await database.db.execute(sql`UPDATE support_tickets SET last_message_at = ${new Date(clock.now().getTime() - (3 * 365 + 1) * day).toISOString()} WHERE id = ${old.id}`);
    await database.db.execute(sql`UPDATE support_tickets SET last_message_at = ${new Date(clock.now().getTime() - (3 * 365 - 1) * day).toISOString()} WHERE id = ${recent.id}`);
    const before = await queryRows<{ count: number }>(database.db, sql`SELECT count(*)::int AS count FROM support_tickets`);
    expect(await support.api.purgeInactiveTickets()).toBe(1);
    const after = await queryRows<{ count: number }>(database.db, sql`SELECT count(*)::int AS count FROM support_tickets`);
    expect(after[0]!.count).toBe(before[0]!.count - 1);
    expect((await call(ann, 'GET', `/api/v1/support/tickets/${old.id}`)).statusCode).toBe(404);
    expect((await call(ann, 'GET', `/api/v1/support/tickets/${recent.id}`)).statusCode).toBe(200);
    expect(await queryRows(database.db, sql`SELECT id FROM support_ticket_messages WHERE ticket_id = ${old.id}`)).toEqual([]);
    expect(storedFiles()).not.toContain(oldFile.id);
    expect(storedFiles()).toContain(recentFile.id);
  });

  it('export gives a user their tickets with the answers; erasure removes them and forgets them as an author elsewhere', async () => {
    const carl: Caller = { id: newId(), isAdmin: true };
    users.set(carl.id, { email: 'carl@example.test', username: 'carl' });
    const own = await open(carl, 'My own question');
    const ownFile = (await attach(carl, `/api/v1/support/tickets/${own.id}`, 'mine.txt', 'mine')).json<TicketThread>().attachments[0]!;
    const bobs = await open(bob, 'Question for carl');
    await call(carl, 'POST', `/api/v1/admin/support/tickets/${bobs.id}/messages`, { body: 'Answer from carl' });

    const exported = await support.dataRights.exportSubject({ userId: carl.id });
    expect(exported.support_tickets).toEqual([
      expect.objectContaining({ id: own.id, messages: [expect.objectContaining({ body: 'Please help.' })], attachments: [expect.objectContaining({ id: ownFile.id, filename: 'mine.txt' })] }),
    ]);
    expect(exported.support_answers_written).toEqual([expect.objectContaining({ ticketId: bobs.id, body: 'Answer from carl' })]);

    expect(storedFiles()).toContain(ownFile.id);
    await support.dataRights.eraseSubject({ userId: carl.id });
    expect(storedFiles()).not.toContain(ownFile.id);
    expect(await support.dataRights.exportSubject({ userId: carl.id })).toEqual({ support_tickets: [], support_answers_written: [], support_files_added_elsewhere: [] });
    // Bob's conversation keeps the answer, without who wrote it.
    const thread = (await call(bob, 'GET', `/api/v1/support/tickets/${bobs.id}`)).json<TicketThread>();
    expect(thread.messages.map((message) => message.body)).toEqual(['Please help.', 'Answer from carl']);
    expect(await queryRows(database.db, sql`SELECT author_id FROM support_ticket_messages WHERE ticket_id = ${bobs.id} AND author_role = 'staff'`)).toEqual([{ author_id: null }]);
  });
});
