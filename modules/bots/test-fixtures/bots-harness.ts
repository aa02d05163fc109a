import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AccountsModule } from '@weft/accounts';
import { createAuditModule } from '@weft/audit';
import { createCredentialsModule } from '@weft/credentials';
import { queryRows } from '@weft/db';
import { createCoreNodeRegistry } from '@weft/engine';
import { createHttpApp, registerRoutes, type Principal } from '@weft/http';
import { AppError, CoreErrors, createKeyring, createLogger, newId, systemClock } from '@weft/kernel';
import { createRunsModule } from '@weft/runs';
import { createTestDatabase, startDiscordStandin, type DiscordStandin, type StandinApplication, type TestDatabase } from '@weft/testing';
import { createWorkflowsModule, type Actor } from '@weft/workflows';
import { can, type Permission, type Role } from '@weft/workspaces';
import { sql } from 'drizzle-orm';
import { createBotsModule, type BotsModule, type BotsModuleDeps } from '@weft/bots';
import { createAccountsForBots } from './discord-sign-in';

export const silentLogger = createLogger({ level: 'silent', format: 'json' });

export interface TestWorkspace {
  id: string;
  slug: string;
}

/** The workspaces module's contract with its real permission table: 404 for non-members, 403 without the permission. */
function createWorkspaceDirectory() {
  const members = new Map<string, Role>();
  const workspaces: TestWorkspace[] = [];
  return {
    async requireWorkspaceAccess(principal: Principal, ref: string, permission: string) {
      const workspace = workspaces.find((w) => w.id === ref || w.slug === ref);
      const role = workspace ? members.get(`${principal.userId}:${workspace.id}`) : undefined;
      if (!workspace || !role) throw new AppError(CoreErrors.NOT_FOUND, 'No such workspace');
      if (!can(role, permission as Permission)) throw new AppError(CoreErrors.FORBIDDEN, 'Your role cannot do this', { permission, role });
      return { workspace, role };
    },
    addWorkspace(slug: string, roles: Record<string, Role>): TestWorkspace {
      const workspace = { id: newId(), slug };
      workspaces.push(workspace);
      for (const [userId, role] of Object.entries(roles)) members.set(`${userId}:${workspace.id}`, role);
      return workspace;
    },
  };
}

export interface BotsHarness {
  database: TestDatabase;
  app: FastifyInstance;
  baseUrl: string;
  discord: DiscordStandin;
  bots: BotsModule;
  /** With `withAccounts`: the real accounts module (Discord sign-in, sessions) on the same app. */
  accounts: AccountsModule | null;
  /** The runs module's api (run a workflow now, with `services.discord` of its workspace). */
  runs: ReturnType<typeof createRunsModule>['api'];
  alpha: TestWorkspace;
  beta: TestWorkspace;
  alice: string;
  bob: string;
  viewer: string;
  /** An application with a bot user on the stand-in. */
  addApplication(): StandinApplication;
  publishWorkflow(graph: { nodes: unknown[]; edges: unknown[] }, workspace?: TestWorkspace): Promise<string>;
  /** Connects `application` as a bot of `workspace` through the API and returns its id. */
  connectBot(application: StandinApplication, workspace?: TestWorkspace, userId?: string): Promise<string>;
  countRows(table: string, where?: string): Promise<number>;
  close(): Promise<void>;
}

export interface BotsHarnessOptions {
  deferAfterMs?: number;
  maxVariablesPerBot?: number;
  findDiscordIdOfUser?: (userId: string) => Promise<string | null>;
  /** Stand-in options, e.g. a short gateway heartbeat. */
  standin?: Parameters<typeof startDiscordStandin>[0];
  /** Gateway timings for the bots module (short leases in tests). */
  gateway?: BotsModuleDeps['gateway'];
  /** The real accounts module too: Discord sign-in, cookie sessions (next to the x-test-user header) and managed guilds. */
  withAccounts?: boolean;
}

/**
 * Real modules end to end — workspaces' permission table, audit, credentials,
 * workflows, runs and bots on a real database — with the Discord stand-in as
 * the only thing outside, and the HTTP app listening on 127.0.0.1 so the
 * stand-in can deliver signed interactions to it.
 */
export async function createBotsHarness(options: BotsHarnessOptions = {}): Promise<BotsHarness> {
  const database = await createTestDatabase();
  const discord = await startDiscordStandin(options.standin);
  const access = createWorkspaceDirectory();
  const [alice, bob, viewer] = [newId(), newId(), newId()];
  const alpha = access.addWorkspace('alpha', { [alice]: 'owner', [viewer]: 'viewer' });
  const beta = access.addWorkspace('beta', { [bob]: 'owner' });
  const clock = systemClock;
  const audit = createAuditModule({ database, clock, ipHashKey: 'test-ip-key' });
  const keyring = createKeyring({ 1: randomBytes(32) }, 1);
  const credentials = createCredentialsModule({ database, clock, loadKeyring: () => keyring, requireWorkspaceAccess: access.requireWorkspaceAccess, recordAudit: audit.api.recordAudit });
  const accounts = options.withAccounts ? createAccountsForBots(database, discord, clock) : null;
  const registry = createCoreNodeRegistry();
  const workflows = createWorkflowsModule({ database, clock, registry, requireWorkspaceAccess: access.requireWorkspaceAccess, audit: audit.api });
  // Runs act on Discord through the bots module, built after it: bound late, per workspace.
  const late: { bots?: BotsModule } = {};
  const runs = createRunsModule({
    database,
    clock,
    logger: silentLogger,
    registry,
    catalog: workflows.api.catalog,
    requireWorkspaceAccess: access.requireWorkspaceAccess,
    audit: audit.api,
    servicesForWorkspace: (workspaceId) => ({ discord: late.bots!.api.discordActionsFor(workspaceId), botData: late.bots!.api.botDataFor(workspaceId) }),
  });
  const bots = createBotsModule({
    database,
    clock,
    logger: silentLogger,
    requireWorkspaceAccess: access.requireWorkspaceAccess,
    recordAudit: audit.api.recordAudit,
    credentials: credentials.api,
    findWorkflow: workflows.api.catalog.findWorkflowRunSettings,
    runWorkflowNow: runs.api.runWorkflowNow,
    startTriggeredRun: runs.api.startTriggeredRun,
    ...(options.gateway ? { gateway: options.gateway } : {}),
    discord: { apiUrl: discord.apiUrl, authorizeUrl: `${discord.url}/oauth2/authorize`, gatewayUrl: discord.gatewayUrl },
    publicUrl: 'http://127.0.0.1:3000',
    deferAfterMs: options.deferAfterMs ?? 1500,
    ...(options.maxVariablesPerBot ? { maxVariablesPerBot: options.maxVariablesPerBot } : {}),
    ...(options.findDiscordIdOfUser ? { findDiscordIdOfUser: options.findDiscordIdOfUser } : {}),
    findManagedDiscordGuilds: async (userId) => (accounts ? accounts.api.findManagedDiscordGuilds(userId) : null),
  });
  late.bots = bots;
  const app = await createHttpApp({ logger: silentLogger, bodyLimitBytes: 1_048_576, rateLimitPerMinute: 1_000_000 });
  if (accounts) await accounts.api.registerHttpPlugins(app);
  registerRoutes(app, [...bots.routes, ...(accounts?.routes ?? [])], async (request, route) => {
    const userId = request.headers['x-test-user'];
    if (typeof userId === 'string') return { userId, isAdmin: false, via: 'session' };
    return accounts ? accounts.api.authenticate(request, route) : null;
  });
  await bots.registerInteractionRoutes(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  await runs.start();
  await bots.start();
  const address = app.server.address() as { port: number };
  const actor: Actor = { type: 'user', id: alice };

  const harness: BotsHarness = {
    database,
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    discord,
    bots,
    accounts,
    runs: runs.api,
    alpha,
    beta,
    alice,
    bob,
    viewer,
    addApplication: () => discord.state.addApplication({ bot: { username: 'Weft Bot' } }),
    async publishWorkflow(graph, workspace = alpha) {
      const { workflow } = await workflows.api.createWorkflow(workspace, actor, { name: `Flow ${newId().slice(-6)}`, graph });
      await workflows.api.publishWorkflow(workspace, actor, workflow.id, 'test');
      return workflow.id;
    },
    async connectBot(application, workspace = alpha, userId = alice) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/workspaces/${workspace.slug}/bots`,
        headers: { 'x-test-user': userId },
        payload: { applicationId: application.id, publicKey: application.public_key, token: application.bot!.token },
      });
      if (res.statusCode !== 201) throw new Error(`connectBot: ${res.statusCode} ${res.body}`);
      return res.json().id as string;
    },
    async countRows(table, where = 'true') {
      const [row] = await queryRows<{ count: number }>(database.db, sql.raw(`SELECT count(*)::int AS count FROM ${table} WHERE ${where}`));
      return row!.count;
    },
    async close() {
      await app.close();
      await bots.stop();
      await runs.stop();
      await discord.close();
      await database.close();
    },
  };
  return harness;
}

export function asUser(userId: string): { 'x-test-user': string } {
  return { 'x-test-user': userId };
}

interface TestNode {
  id: string;
  type: string;
  version: number;
  name: string;
  params: Record<string, unknown>;
  position: { x: number; y: number };
}

export function buildNode(id: string, type: string, params: Record<string, unknown> = {}): TestNode {
  return { id, type, version: 1, name: id, params, position: { x: 0, y: 0 } };
}

/** A chain of nodes linked main → main in order. */
export function buildChain(...nodes: TestNode[]) {
  return { nodes, edges: nodes.slice(1).map((node, index) => ({ from: nodes[index]!.id, fromPort: 'main', to: node.id, toPort: 'main' })) };
}
