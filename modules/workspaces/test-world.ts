import type { FastifyInstance, InjectOptions } from 'fastify';
import { sql } from 'drizzle-orm';
import { createAuditModule } from '@weft/audit';
import { queryRows } from '@weft/db';
import { createHttpApp, registerRoutes, type Principal } from '@weft/http';
import { createLogger, createManualClock, newId } from '@weft/kernel';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { createWorkspacesModule, type InvitationEmail, type UserSummary, type WorkspacesModule } from './index';

/**
 * A real database, the real audit module and the module's routes behind a
 * stand-in authenticator: `x-test-user` names the user, and
 * `x-test-token-workspace` makes the call an API token bound to a workspace
 * (`x-test-scopes` lists its scopes).
 * Users live in a map (the accounts module's part); emails are collected.
 */
export interface TestUser extends UserSummary {
  personalWorkspaceId: string;
  /** Each user calls from their own address, so per-IP rate limits behave as in production. */
  ip: string;
}

export interface CallOptions {
  payload?: unknown;
  tokenWorkspaceId?: string;
  /** The API token's scopes; unset means a session (no scope limits). */
  scopes?: string[];
}

export async function createTestWorld() {
  const database: TestDatabase = await createTestDatabase();
  const clock = createManualClock(new Date('2026-06-01T00:00:00Z'));
  const audit = createAuditModule({ database, clock, ipHashKey: 'test-ip-key' });
  const users = new Map<string, UserSummary>();
  const emails: InvitationEmail[] = [];
  const module: WorkspacesModule = createWorkspacesModule({
    database,
    clock,
    audit: audit.api,
    users: { findUsersByIds: async (ids) => ids.flatMap((id) => users.get(id) ?? []) },
    sendInvitationEmail: async (email) => {
      emails.push(email);
    },
    publicUrl: 'https://weft.test',
  });
  const app: FastifyInstance = await createHttpApp({
    logger: createLogger({ level: 'silent', format: 'json' }),
    bodyLimitBytes: 64 * 1024,
    rateLimitPerMinute: 10_000,
  });
  registerRoutes(app, module.routes, async (request) => {
    const userId = request.headers['x-test-user'];
    if (typeof userId !== 'string') return null;
    const bound = request.headers['x-test-token-workspace'];
    const principal: Principal = { userId, isAdmin: false, via: typeof bound === 'string' ? 'token' : 'session' };
    if (typeof bound === 'string') principal.tokenWorkspaceId = bound;
    const scopes = request.headers['x-test-scopes'];
    if (typeof scopes === 'string') principal.scopes = scopes.split(',');
    return principal;
  });
  await app.ready();
  let userCount = 0;

  async function createUser(username: string, email = `${username}@example.test`): Promise<TestUser> {
    const id = newId();
    users.set(id, { id, email, username });
    const workspace = await database.transaction((tx) => module.api.createPersonalWorkspace(tx, { userId: id, username }));
    userCount += 1;
    return { id, email, username, personalWorkspaceId: workspace.id, ip: `10.0.${Math.floor(userCount / 250)}.${userCount % 250}` };
  }

  function call(user: TestUser | null, method: InjectOptions['method'], url: string, options: CallOptions = {}) {
    const headers: Record<string, string> = {};
    if (user) headers['x-test-user'] = user.id;
    if (options.tokenWorkspaceId) headers['x-test-token-workspace'] = options.tokenWorkspaceId;
    if (options.scopes) headers['x-test-scopes'] = options.scopes.join(',');
    return app.inject({ method, url, headers, payload: options.payload as InjectOptions['payload'], remoteAddress: user?.ip ?? '10.9.9.9' });
  }

  async function createTeam(owner: TestUser, slug: string, name = `Team ${slug}`): Promise<{ id: string; slug: string }> {
    const res = await call(owner, 'POST', '/api/v1/workspaces', { payload: { name, slug } });
    if (res.statusCode !== 201) throw new Error(`createTeam ${slug}: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  /** The token of the newest invitation emailed to `to`, read from its accept link. */
  function lastTokenSentTo(to: string): string {
    const email = emails.filter((e) => e.to === to.toLowerCase()).at(-1);
    const token = email && new URL(email.acceptUrl).hash.replace('#token=', '');
    if (!token) throw new Error(`No invitation was emailed to ${to}`);
    return token;
  }

  async function invite(by: TestUser, workspace: string, email: string, role: string) {
    return call(by, 'POST', `/api/v1/workspaces/${workspace}/invitations`, { payload: { email, role } });
  }

  /** Invites `user` as `role` and accepts on their behalf. */
  async function addMember(by: TestUser, workspace: string, user: TestUser, role: 'admin' | 'member' | 'viewer'): Promise<void> {
    const sent = await invite(by, workspace, user.email, role);
    if (sent.statusCode !== 201) throw new Error(`invite: ${sent.statusCode} ${sent.body}`);
    const accepted = await call(user, 'POST', '/api/v1/invitations/accept', { payload: { token: lastTokenSentTo(user.email) } });
    if (accepted.statusCode !== 200) throw new Error(`accept: ${accepted.statusCode} ${accepted.body}`);
  }

  async function listAuditActions(workspaceId: string): Promise<string[]> {
    const rows = await queryRows<{ action: string }>(
      database.db,
      sql`SELECT action FROM audit_log WHERE workspace_id = ${workspaceId} ORDER BY at, id`,
    );
    return rows.map((row) => row.action);
  }

  async function countRows(table: 'workspaces' | 'memberships' | 'invitations' | 'audit_log'): Promise<number> {
    const [row] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`);
    return Number(row?.n ?? 0);
  }

  return {
    database,
    clock,
    app,
    module,
    users,
    emails,
    createUser,
    call,
    createTeam,
    invite,
    addMember,
    lastTokenSentTo,
    listAuditActions,
    countRows,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export type TestWorld = Awaited<ReturnType<typeof createTestWorld>>;
