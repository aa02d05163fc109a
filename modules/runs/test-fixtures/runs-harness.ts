import type { FastifyInstance } from 'fastify';
import { coreNodes, createNodeRegistry, type NodeRegistry } from '@weft/engine';
import { createHttpApp, registerRoutes, type Principal } from '@weft/http';
import { AppError, CoreErrors, createLogger, newId, systemClock } from '@weft/kernel';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { createRunsModule, type CheckCredentials, type RunsModule } from '@weft/runs';
import { createWorkflowsModule, type Actor, type AuditEntry, type RequireWorkspaceAccess, type WorkflowsModule, type WorkflowSettings } from '@weft/workflows';
import { countedNode, createEffectsTable, createStepEffects, type StepEffects } from './counted-nodes';

export const silentLogger = createLogger({ level: 'silent', format: 'json' });
export const testRegistry: NodeRegistry = createNodeRegistry([...coreNodes, countedNode]);

export interface TestWorkspace {
  id: string;
  slug: string;
}

/** The workspaces module's contract: 404 for a workspace the caller is not in, 403 for a viewer writing. */
function createTestWorkspaces() {
  const workspaces: TestWorkspace[] = [];
  const roles = new Map<string, string>();
  const requireWorkspaceAccess: RequireWorkspaceAccess = async (principal, ref, permission) => {
    const workspace = workspaces.find((candidate) => candidate.id === ref || candidate.slug === ref);
    const role = workspace ? roles.get(`${principal.userId}:${workspace.id}`) : undefined;
    if (!workspace || !role) throw new AppError(CoreErrors.NOT_FOUND, 'Workspace not found');
    if (role === 'viewer' && permission !== 'resources.read') throw new AppError(CoreErrors.FORBIDDEN, 'Your role cannot do this');
    return { workspace, role };
  };
  return {
    requireWorkspaceAccess,
    addWorkspace(slug: string, members: string[]): TestWorkspace {
      const workspace = { id: newId(), slug };
      workspaces.push(workspace);
      for (const userId of members) roles.set(`${userId}:${workspace.id}`, 'member');
      return workspace;
    },
  };
}

export interface RunsHarness {
  database: TestDatabase;
  app: FastifyInstance;
  workflows: WorkflowsModule;
  runs: RunsModule;
  effects: StepEffects;
  gates: Map<string, Promise<void>>;
  audits: AuditEntry[];
  alpha: TestWorkspace;
  beta: TestWorkspace;
  alice: string;
  bob: string;
  actor: Actor;
  /** Creates and publishes a workflow in alpha (or `workspace`); returns its id and version id. */
  publishWorkflow(graph: { nodes: unknown[]; edges: unknown[] }, settings?: Partial<WorkflowSettings>, workspace?: TestWorkspace): Promise<{ workflowId: string; versionId: string }>;
  close(): Promise<void>;
}

export interface RunsHarnessOptions {
  leaseMs?: number;
  groupCommit?: { maxDelayMs?: number; maxBatch?: number };
  /** The credentials module's check, as a stand-in (the harness has no credentials module). */
  checkCredentials?: CheckCredentials;
  eventStreams?: { heartbeatMs?: number; workspacePollMs?: number };
}

export async function createRunsHarness(options: RunsHarnessOptions = {}): Promise<RunsHarness> {
  const database = await createTestDatabase();
  await createEffectsTable(database.db);
  const access = createTestWorkspaces();
  const [alice, bob] = [newId(), newId()];
  const alpha = access.addWorkspace('alpha', [alice]);
  const beta = access.addWorkspace('beta', [bob]);
  const audits: AuditEntry[] = [];
  const audit = { recordAudit: async (entry: AuditEntry) => void audits.push(entry) };
  const workflows = createWorkflowsModule({ database, clock: systemClock, registry: testRegistry, requireWorkspaceAccess: access.requireWorkspaceAccess, audit });
  const gates = new Map<string, Promise<void>>();
  const effects = createStepEffects(database.db, 'server', gates);
  const runs = createRunsModule({
    database,
    clock: systemClock,
    logger: silentLogger,
    registry: testRegistry,
    catalog: workflows.api.catalog,
    requireWorkspaceAccess: access.requireWorkspaceAccess,
    audit,
    servicesForWorkspace: () => ({ effects }),
    findDraft: workflows.api.getWorkflow,
    ...(options.checkCredentials ? { checkCredentials: options.checkCredentials } : {}),
    ...(options.eventStreams ? { eventStreams: options.eventStreams } : {}),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    ...(options.groupCommit ? { groupCommit: options.groupCommit } : {}),
  });
  const app = await createHttpApp({ logger: silentLogger, bodyLimitBytes: 1_048_576, rateLimitPerMinute: 1_000_000 });
  registerRoutes(app, [...workflows.routes, ...runs.routes], authenticateByHeader);
  runs.registerHookRoutes(app, { rateLimit: false });
  await app.ready();
  await runs.start();
  const actor: Actor = { type: 'user', id: alice };

  return {
    database,
    app,
    workflows,
    runs,
    effects,
    gates,
    audits,
    alpha,
    beta,
    alice,
    bob,
    actor,
    async publishWorkflow(graph, settings = {}, workspace = alpha) {
      const { workflow } = await workflows.api.createWorkflow(workspace, actor, { name: 'Test', graph, settings });
      const published = await workflows.api.publishWorkflow(workspace, actor, workflow.id, 'test');
      return { workflowId: workflow.id, versionId: published.versionId };
    },
    async close() {
      await app.close();
      await runs.stop();
      await database.close();
    },
  };
}

async function authenticateByHeader(request: { headers: Record<string, string | string[] | undefined> }): Promise<Principal | null> {
  const userId = request.headers['x-test-user'];
  return typeof userId === 'string' ? { userId, isAdmin: false, via: 'session' } : null;
}

export function asUser(userId: string, headers: Record<string, string> = {}): { headers: Record<string, string> } {
  return { headers: { 'x-test-user': userId, ...headers } };
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface TestNode {
  id: string;
  type: string;
  version: number;
  name: string;
  params: Record<string, unknown>;
  position: { x: number; y: number };
}

export function buildTestNode(id: string, type: string, params: Record<string, unknown> = {}): TestNode {
  return { id, type, version: 1, name: id, params, position: { x: 0, y: 0 } };
}

export function linkTestNodes(from: string, to: string, fromPort = 'main', toPort = 'main') {
  return { from, fromPort, to, toPort };
}

/** trigger → counted nodes in a chain → respond. `holds` sets each counted node's holdMs. */
export function buildCountedChain(ids: string[], options: { trigger?: 'trigger.manual' | 'trigger.webhook'; path?: string; mode?: 'sync' | 'async'; holds?: Record<string, number>; failing?: string[] } = {}) {
  const trigger =
    options.trigger === 'trigger.webhook'
      ? buildTestNode('start', 'trigger.webhook', { path: options.path ?? 'chain', method: 'POST', mode: options.mode ?? 'sync' })
      : buildTestNode('start', 'trigger.manual');
  const nodes = [
    trigger,
    ...ids.map((id) => buildTestNode(id, 'test.counted', { holdMs: options.holds?.[id] ?? 0, shouldFail: options.failing?.includes(id) ?? false })),
    buildTestNode('reply', 'respond', { status: 200 }),
  ];
  const order = ['start', ...ids, 'reply'];
  return { nodes, edges: order.slice(1).map((id, index) => linkTestNodes(order[index]!, id)) };
}

/** W1 (DESIGN.md §9): webhook → transform (`sum`, `greeting`) → respond. */
export function buildW1Graph(path = 'w1', mode: 'sync' | 'async' = 'sync') {
  return {
    nodes: [
      buildTestNode('hook', 'trigger.webhook', { path, method: 'POST', mode }),
      buildTestNode('shape', 'transform', { source: 'body', mapping: { sum: 'a + 1', greeting: '"hi " & name' } }),
      buildTestNode('reply', 'respond', { status: 200 }),
    ],
    edges: [linkTestNodes('hook', 'shape'), linkTestNodes('shape', 'reply')],
  };
}
