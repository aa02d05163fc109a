import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { AuditEntry, AuditLogPage } from '@weft/contracts';
import { createHttpApp, registerRoutes, type Principal } from '@weft/http';
import { createLogger, createManualClock, newId } from '@weft/kernel';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { createWorkspacesModule, type InvitationEmail, type UserSummary } from '@weft/workspaces';
import { createAuditModule, type AuditModule } from './index';

/**
 * The audit routes wired as apps/server wires them: the real workspaces
 * module decides who may read a workspace's log. A stand-in authenticator
 * reads `x-test-user`, `x-test-admin` (instance administrator) and
 * `x-test-token-workspace` / `x-test-scopes` (an API token bound to a workspace).
 */
interface Caller {
  id: string;
  isAdmin?: boolean;
  token?: { workspaceId: string; scopes: string[] };
}

let database: TestDatabase;
let app: FastifyInstance;
let audit: AuditModule;
const clock = createManualClock(new Date('2026-06-01T00:00:00Z'));
const users = new Map<string, UserSummary>();
const emails: InvitationEmail[] = [];
const personalWorkspaceIds = new Map<string, string>();

const ann: Caller = { id: newId() }; // owner of team A
const ben: Caller = { id: newId() }; // owner of team B
const ada: Caller = { id: newId() }; // admin of team A
const bea: Caller = { id: newId() }; // admin of team B
const mia: Caller = { id: newId() }; // member of team A
const vic: Caller = { id: newId() }; // viewer of team A
const root: Caller = { id: newId(), isAdmin: true }; // instance administrator, member of nothing
let teamA: { id: string; slug: string };
let teamB: { id: string; slug: string };

function call(caller: Caller | null, url: string, options: { method?: 'GET' | 'POST'; payload?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (caller) headers['x-test-user'] = caller.id;
  if (caller?.isAdmin) headers['x-test-admin'] = 'yes';
  if (caller?.token) {
    headers['x-test-token-workspace'] = caller.token.workspaceId;
    headers['x-test-scopes'] = caller.token.scopes.join(',');
  }
  return app.inject({ method: options.method ?? 'GET', url, headers, payload: options.payload as InjectOptions['payload'] });
}

async function addMember(by: Caller, team: { slug: string }, user: Caller, role: 'admin' | 'member' | 'viewer'): Promise<void> {
  const email = users.get(user.id)!.email;
  const sent = await call(by, `/api/v1/workspaces/${team.slug}/invitations`, { method: 'POST', payload: { email, role } });
  expect(sent.statusCode, sent.body).toBe(201);
  const token = new URL(emails.at(-1)!.acceptUrl).hash.replace('#token=', '');
  const accepted = await call(user, '/api/v1/invitations/accept', { method: 'POST', payload: { token } });
  expect(accepted.statusCode, accepted.body).toBe(200);
}

/** Every entry the caller can read at `url`, following the cursor `limit` entries at a time. */
async function readAll(caller: Caller, url: string, limit = 3): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: string | null = null;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const res = await call(caller, `${url}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<AuditLogPage>();
    expect(page.items.length).toBeLessThanOrEqual(limit);
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

beforeAll(async () => {
  database = await createTestDatabase();
  // Built in the composition root's order: workspaces record into the audit log, the log asks workspaces who may read it.
  const late: { workspaces?: ReturnType<typeof createWorkspacesModule> } = {};
  audit = createAuditModule({
    database,
    clock,
    ipHashKey: 'test-ip-key',
    requireWorkspaceAccess: (principal, ref, permission) => late.workspaces!.api.requireWorkspaceAccess(principal, ref, permission),
  });
  const workspaces = createWorkspacesModule({
    database,
    clock,
    audit: audit.api,
    users: { findUsersByIds: async (ids) => ids.flatMap((id) => users.get(id) ?? []) },
    sendInvitationEmail: async (email) => {
      emails.push(email);
    },
    publicUrl: 'https://weft.test',
  });
  late.workspaces = workspaces;
  app = await createHttpApp({ logger: createLogger({ level: 'silent', format: 'json' }), bodyLimitBytes: 64 * 1024, rateLimitPerMinute: 10_000 });
  registerRoutes(app, [...audit.routes, ...workspaces.routes], async (request) => {
    const userId = request.headers['x-test-user'];
    if (typeof userId !== 'string') return null;
    const principal: Principal = { userId, isAdmin: request.headers['x-test-admin'] === 'yes', via: 'session' };
    const bound = request.headers['x-test-token-workspace'];
    if (typeof bound === 'string') Object.assign(principal, { via: 'token', tokenWorkspaceId: bound, scopes: String(request.headers['x-test-scopes']).split(',') });
    return principal;
  });
  await app.ready();

  for (const [name, user] of Object.entries({ ann, ben, ada, bea, mia, vic, root })) {
    users.set(user.id, { id: user.id, email: `${name}@example.test`, username: name });
    const personal = await database.transaction((tx) => workspaces.api.createPersonalWorkspace(tx, { userId: user.id, username: name }));
    personalWorkspaceIds.set(user.id, personal.id);
  }
  teamA = (await call(ann, '/api/v1/workspaces', { method: 'POST', payload: { name: 'Team A', slug: 'team-a' } })).json();
  teamB = (await call(ben, '/api/v1/workspaces', { method: 'POST', payload: { name: 'Team B', slug: 'team-b' } })).json();
  await addMember(ann, teamA, ada, 'admin');
  await addMember(ann, teamA, mia, 'member');
  await addMember(ann, teamA, vic, 'viewer');
  await addMember(ben, teamB, bea, 'admin');
  // Entries other modules would write, a second apart so the order is certain.
  for (const [team, actor, i] of [[teamA, mia, 0], [teamB, bea, 1], [teamA, ada, 2], [teamB, ben, 3], [teamA, mia, 4]] as const) {
    clock.advance(1000);
    await audit.api.recordAudit({ actor: { type: 'user', id: actor.id }, action: 'credentials.credential.created', target: { type: 'credential', id: `cred-${i}` }, workspaceId: team.id, ip: '198.51.100.7' });
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe("a workspace's audit log", () => {
  it('an admin of workspace A reads all of A and nothing of B, and an admin of B the reverse', async () => {
    for (const [reader, own, other] of [[ada, teamA, teamB], [bea, teamB, teamA]] as const) {
      const entries = await readAll(reader, `/api/v1/workspaces/${own.slug}/audit-log`);
      expect(entries.length).toBeGreaterThan(3);
      expect(new Set(entries.map((entry) => entry.workspaceId))).toEqual(new Set([own.id]));
      expect(entries.map((entry) => entry.action)).toEqual(expect.arrayContaining(['workspace.created', 'workspace.invitation.accepted', 'credentials.credential.created']));
      // Same count as the instance-wide view filtered to that workspace: nothing of the workspace is missing either.
      expect(entries).toEqual(await readAll(root, `/api/v1/admin/audit-log?workspaceId=${own.id}`, 50));
      const foreign = await readAll(reader, `/api/v1/workspaces/${own.slug}/audit-log?workspaceId=${other.id}`);
      expect(foreign.some((entry) => entry.workspaceId === other.id)).toBe(false);
    }
  });

  it('is readable by owners, by id or slug, newest first, without the IP hash', async () => {
    const bySlug = (await call(ann, `/api/v1/workspaces/${teamA.slug}/audit-log`)).json<AuditLogPage>();
    const byId = (await call(ann, `/api/v1/workspaces/${teamA.id}/audit-log`)).json<AuditLogPage>();
    expect(byId).toEqual(bySlug);
    const times = bySlug.items.map((entry) => entry.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(bySlug.items[0]).toMatchObject({ action: 'credentials.credential.created', targetId: 'cred-4', at: '2026-06-01T00:00:05.000Z' });
    expect(JSON.stringify(bySlug)).not.toMatch(/ipHash|ip_hash|198\.51/);
  });

  it('applies the same exact-match filters as the instance-wide log', async () => {
    const byActor = await readAll(ann, `/api/v1/workspaces/${teamA.slug}/audit-log?actorId=${mia.id}&action=credentials.credential.created`, 1);
    expect(byActor.map((entry) => entry.targetId)).toEqual(['cred-4', 'cred-0']);
    const byTarget = await readAll(ann, `/api/v1/workspaces/${teamA.slug}/audit-log?targetId=cred-2`);
    expect(byTarget.map((entry) => entry.actorId)).toEqual([ada.id]);
    // B's entry, filtered by its own target id, stays out of A's log.
    expect(await readAll(ann, `/api/v1/workspaces/${teamA.slug}/audit-log?targetId=cred-1`)).toEqual([]);
  });

  it('refuses members and viewers with 403', async () => {
    for (const caller of [mia, vic]) {
      const res = await call(caller, `/api/v1/workspaces/${teamA.slug}/audit-log`);
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'WORKSPACE_FORBIDDEN', details: { permission: 'audit.read' } });
    }
  });

  it('answers 404 for an unknown workspace exactly as for a foreign one', async () => {
    const unknown = await call(ada, '/api/v1/workspaces/no-such-team/audit-log');
    const foreign = await call(ada, `/api/v1/workspaces/${teamB.slug}/audit-log`);
    const foreignById = await call(bea, `/api/v1/workspaces/${teamA.id}/audit-log`);
    for (const res of [unknown, foreign, foreignById]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('WORKSPACE_NOT_FOUND');
    }
    expect(unknown.json().error.message).toBe(foreign.json().error.message);
  });

  it('gives instance administrators no way in through the workspace route', async () => {
    const res = await call(root, `/api/v1/workspaces/${teamA.slug}/audit-log`);
    expect(res.statusCode).toBe(404);
  });

  it('needs a signed-in caller, and an API token with audit:read bound to that workspace', async () => {
    expect((await call(null, `/api/v1/workspaces/${teamA.slug}/audit-log`)).statusCode).toBe(401);
    const withoutScope = await call({ ...ann, token: { workspaceId: teamA.id, scopes: ['workspaces:read'] } }, `/api/v1/workspaces/${teamA.slug}/audit-log`);
    expect(withoutScope.statusCode).toBe(403);
    expect(withoutScope.json().error.details).toEqual({ requiredScope: 'audit:read' });
    const otherWorkspace = await call({ ...ann, token: { workspaceId: personalWorkspaceIds.get(ann.id)!, scopes: ['audit:read'] } }, `/api/v1/workspaces/${teamA.slug}/audit-log`);
    expect(otherWorkspace.statusCode).toBe(404);
    const allowed = await call({ ...ann, token: { workspaceId: teamA.id, scopes: ['audit:read'] } }, `/api/v1/workspaces/${teamA.slug}/audit-log`);
    expect(allowed.statusCode).toBe(200);
  });

  it('refuses bad paging input with 400 VALIDATION_FAILED', async () => {
    for (const query of ['limit=0', 'limit=201', `cursor=${'x'.repeat(201)}`, `action=${'a'.repeat(201)}`]) {
      const res = await call(ann, `/api/v1/workspaces/${teamA.slug}/audit-log?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('reads a cursor it cannot decode as the first page', async () => {
    const first = (await call(ann, `/api/v1/workspaces/${teamA.slug}/audit-log?limit=2`)).json<AuditLogPage>();
    for (const cursor of ['not-a-cursor', Buffer.from(JSON.stringify({ at: 'yesterday', id: 'x' })).toString('base64url')]) {
      const res = await call(ann, `/api/v1/workspaces/${teamA.slug}/audit-log?limit=2&cursor=${cursor}`);
      expect(res.statusCode, cursor).toBe(200);
      expect(res.json()).toEqual(first);
    }
  });
});

describe('the instance-wide audit log', () => {
  it('is for instance administrators only', async () => {
    const res = await call(ann, '/api/v1/admin/audit-log');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    const all = await readAll(root, '/api/v1/admin/audit-log', 50);
    expect(all.some((entry) => entry.workspaceId === teamA.id) && all.some((entry) => entry.workspaceId === teamB.id)).toBe(true);
  });
});
