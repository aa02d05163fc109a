import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { sha256Hex } from '@weft/kernel';
import { createTestWorld, type TestUser, type TestWorld } from './test-world';

let world: TestWorld;
let owner: TestUser;
let team: { id: string; slug: string };
const DAY = 86_400_000;

const invitationsUrl = () => `/api/v1/workspaces/${team.slug}/invitations`;
const accept = (user: TestUser, token: string) => world.call(user, 'POST', '/api/v1/invitations/accept', { payload: { token } });
async function isMember(user: TestUser): Promise<boolean> {
  return (await world.call(user, 'GET', `/api/v1/workspaces/${team.id}`)).statusCode === 200;
}

beforeAll(async () => {
  world = await createTestWorld();
  owner = await world.createUser('owen');
  team = await world.createTeam(owner, 'invite-team', 'Invite Team');
});
afterAll(async () => {
  await world.close();
});

describe('invitations', () => {
  it('emails a link with the token in the fragment, and stores only its SHA-256', async () => {
    const res = await world.invite(owner, team.slug, 'Nora@Example.TEST', 'member');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: 'nora@example.test', role: 'member', status: 'pending' });
    expect(res.body).not.toMatch(/token/i);
    const email = world.emails.at(-1)!;
    expect(email).toMatchObject({ to: 'nora@example.test', workspaceName: 'Invite Team', inviterName: 'owen' });
    expect(email.acceptUrl).toMatch(/^https:\/\/weft\.test\/invitations\/accept#token=[\w-]{43}$/);
    const token = world.lastTokenSentTo('nora@example.test');
    const rows = await queryRows<Record<string, unknown>>(world.database.db, sql`SELECT * FROM invitations WHERE id = ${res.json().id}`);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.token_hash).toBe(sha256Hex(token));
    expect(new Date(rows[0]!.expires_at as string).getTime() - world.clock.now().getTime()).toBe(7 * DAY);
  });

  it('accepts once: the second accept of the same token is INVITATION_INVALID', async () => {
    const nora = await world.createUser('nora', 'nora@example.test');
    const token = world.lastTokenSentTo(nora.email);
    const first = await accept(nora, token);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ id: team.id, role: 'member' });
    expect(await isMember(nora)).toBe(true);
    const second = await accept(nora, token);
    expect(second.statusCode).toBe(400);
    expect(second.json().error.code).toBe('INVITATION_INVALID');
    const auditRows = await world.listAuditActions(team.id);
    expect(auditRows.filter((a) => a === 'workspace.invitation.accepted')).toHaveLength(1);
  });

  it('refuses an expired invitation with the same INVITATION_INVALID', async () => {
    const start = world.clock.now();
    const late = await world.createUser('late');
    await world.invite(owner, team.slug, late.email, 'viewer');
    world.clock.advance(7 * DAY + 1000);
    const res = await accept(late, world.lastTokenSentTo(late.email));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVITATION_INVALID', message: 'This invitation is not valid' });
    expect(await isMember(late)).toBe(false);
    // A day short of expiry still works: the expiry is what refused the first one.
    world.clock.set(start);
    await world.invite(owner, team.slug, late.email, 'viewer');
    world.clock.advance(6 * DAY);
    expect((await accept(late, world.lastTokenSentTo(late.email))).statusCode).toBe(200);
    world.clock.set(start);
  });

  it('an unknown token is INVITATION_INVALID too', async () => {
    const someone = await world.createUser('someone');
    const res = await accept(someone, 'x'.repeat(43));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVITATION_INVALID');
  });

  it('refuses a signed-in user whose email differs (403), and leaves the invitation usable by the right person', async () => {
    const intended = await world.createUser('intended');
    const thief = await world.createUser('thief');
    await world.invite(owner, team.slug, intended.email, 'admin');
    const token = world.lastTokenSentTo(intended.email);
    const stolen = await accept(thief, token);
    expect(stolen.statusCode).toBe(403);
    expect(stolen.json().error.code).toBe('INVITATION_EMAIL_MISMATCH');
    expect(await isMember(thief)).toBe(false);
    const rightful = await accept(intended, token);
    expect(rightful.json()).toMatchObject({ role: 'admin' });
  });

  it('matches the email case-insensitively', async () => {
    const mixed = await world.createUser('mixed', 'Mixed.Case@Example.test');
    await world.invite(owner, team.slug, 'mixed.case@example.TEST', 'viewer');
    expect((await accept(mixed, world.lastTokenSentTo('mixed.case@example.test'))).statusCode).toBe(200);
  });

  it('a revoked invitation cannot be accepted; revoking twice is INVITATION_INVALID; both audited once', async () => {
    const rex = await world.createUser('rex');
    const sent = (await world.invite(owner, team.slug, rex.email, 'member')).json();
    const revoke = await world.call(owner, 'DELETE', `${invitationsUrl()}/${sent.id}`);
    expect(revoke.statusCode).toBe(204);
    expect((await accept(rex, world.lastTokenSentTo(rex.email))).json().error.code).toBe('INVITATION_INVALID');
    expect((await world.call(owner, 'DELETE', `${invitationsUrl()}/${sent.id}`)).json().error.code).toBe('INVITATION_INVALID');
    expect((await world.listAuditActions(team.id)).filter((a) => a === 'workspace.invitation.revoked')).toHaveLength(1);
  });

  it('inviting the same address again withdraws the earlier link', async () => {
    const twice = await world.createUser('twice');
    await world.invite(owner, team.slug, twice.email, 'viewer');
    const oldToken = world.lastTokenSentTo(twice.email);
    await world.invite(owner, team.slug, twice.email, 'member');
    expect((await accept(twice, oldToken)).json().error.code).toBe('INVITATION_INVALID');
    expect((await accept(twice, world.lastTokenSentTo(twice.email))).json()).toMatchObject({ role: 'member' });
  });

  it('refuses to invite a member again, anyone as owner, a bad address, or into a personal workspace, writing nothing', async () => {
    const already = await world.invite(owner, team.slug, 'nora@example.test', 'viewer');
    expect(already.statusCode).toBe(409);
    expect(already.json().error.code).toBe('MEMBER_ALREADY_EXISTS');
    const asOwner = await world.invite(owner, team.slug, 'boss@example.test', 'owner');
    expect(asOwner.statusCode).toBe(400);
    expect(asOwner.json().error.code).toBe('VALIDATION_FAILED');
    for (const [email, role] of [['not-an-email', 'member'], [`${'a'.repeat(250)}@example.test`, 'member'], ['ok@example.test', 42]]) {
      const bad = await world.invite(owner, team.slug, email as string, role as string);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    }
    const personal = await world.invite(owner, owner.personalWorkspaceId, 'friend@example.test', 'member');
    expect(personal.statusCode).toBe(409);
    expect(personal.json().error.code).toBe('WORKSPACE_PERSONAL');
    const stored = await queryRows(world.database.db, sql`SELECT 1 FROM invitations WHERE email IN ('boss@example.test', 'friend@example.test', 'ok@example.test', 'not-an-email')`);
    expect(stored).toHaveLength(0);
  });

  it('lists invitations with their status for owners and admins, newest first, without the token hash', async () => {
    await world.invite(owner, team.slug, 'lapsed@example.test', 'viewer');
    await world.invite(owner, team.slug, 'waiting@example.test', 'viewer');
    const res = await world.call(owner, 'GET', `${invitationsUrl()}?limit=2`);
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.items.map((i: { email: string }) => i.email)).toEqual(['waiting@example.test', 'lapsed@example.test']);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(res.body).not.toContain('tokenHash');
    const next = (await world.call(owner, 'GET', `${invitationsUrl()}?limit=2&cursor=${page.nextCursor}`)).json();
    expect(next.items[0].email).not.toBe('lapsed@example.test');
    const statuses = async () => new Set((await world.call(owner, 'GET', `${invitationsUrl()}?limit=200`)).json().items.map((i: { status: string }) => i.status));
    expect(await statuses()).toEqual(new Set(['accepted', 'revoked', 'pending']));
    world.clock.advance(8 * DAY);
    expect(await statuses()).toEqual(new Set(['accepted', 'revoked', 'expired']));
  });

  it('purges invitations expired more than 30 days ago, and only those', async () => {
    // Everything so far expired a day ago; this one is sent now.
    await world.invite(owner, team.slug, 'fresh@example.test', 'viewer');
    const before = await world.countRows('invitations');
    world.clock.advance(36 * DAY); // the fresh one expired 29 days ago, all the others 37 days ago
    const job = world.module.jobs.find((j) => j.name === 'workspaces.purge-expired-invitations')!;
    const logger = { info: () => undefined } as unknown as Parameters<typeof job.run>[0]['logger'];
    await job.run({ signal: new AbortController().signal, logger });
    const left = await queryRows<{ email: string }>(world.database.db, sql`SELECT email FROM invitations`);
    expect(left.map((r) => r.email)).toEqual(['fresh@example.test']);
    expect(before).toBeGreaterThan(5);
  });
});
