import type { FastifyInstance } from 'fastify';
import { createCoreNodeRegistry, type NodeRegistry, type ValidateGraphOptions } from '@weft/engine';
import { createHttpApp, registerRoutes, type Principal } from '@weft/http';
import { AppError, CoreErrors, createLogger, createManualClock, newId } from '@weft/kernel';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { createWorkflowsModule, type AuditEntry, type RequireWorkspaceAccess, type WorkflowsModule } from '@weft/workflows';

export const silentLogger = createLogger({ level: 'silent', format: 'json' });

export interface TestWorkspace {
  id: string;
  slug: string;
}

/**
 * A stand-in for the workspaces module's access check, with the same
 * contract: an unknown workspace or a non-member gets 404, a viewer asking
 * for write or execute gets 403.
 */
export function createTestWorkspaces() {
  const workspaces = new Map<string, TestWorkspace>();
  const roles = new Map<string, string>();
  const requireWorkspaceAccess: RequireWorkspaceAccess = async (principal, ref, permission) => {
    const workspace = [...workspaces.values()].find((candidate) => candidate.id === ref || candidate.slug === ref);
    const role = workspace ? roles.get(`${principal.userId}:${workspace.id}`) : undefined;
    if (!workspace || !role) throw new AppError(CoreErrors.NOT_FOUND, 'Workspace not found');
    if (role === 'viewer' && permission !== 'resources.read') throw new AppError(CoreErrors.FORBIDDEN, 'Your role cannot do this');
    return { workspace, role };
  };
  return {
    requireWorkspaceAccess,
    addWorkspace(slug: string): TestWorkspace {
      const workspace = { id: newId(), slug };
      workspaces.set(workspace.id, workspace);
      return workspace;
    },
    addMember(userId: string, workspace: TestWorkspace, role = 'member'): void {
      roles.set(`${userId}:${workspace.id}`, role);
    },
  };
}

/** `x-test-user: <userId>` signs a request in; `x-test-scopes` makes it an API token with those scopes. */
export function createHeaderAuthenticate() {
  return async (request: { headers: Record<string, string | string[] | undefined> }): Promise<Principal | null> => {
    const userId = request.headers['x-test-user'];
    if (typeof userId !== 'string') return null;
    const scopes = request.headers['x-test-scopes'];
    return typeof scopes === 'string' ? { userId, isAdmin: false, via: 'token', scopes: scopes.split(',') } : { userId, isAdmin: false, via: 'session' };
  };
}

export interface WorkflowsHarness {
  database: TestDatabase;
  app: FastifyInstance;
  workflows: WorkflowsModule;
  registry: NodeRegistry;
  audits: AuditEntry[];
  clock: ReturnType<typeof createManualClock>;
  alpha: TestWorkspace;
  beta: TestWorkspace;
  /** Member of alpha only. */
  alice: string;
  /** Member of beta only. */
  bob: string;
  /** Viewer of alpha. */
  victor: string;
  close(): Promise<void>;
}

export async function createWorkflowsHarness(
  options: { registry?: NodeRegistry; validateOptions?: ValidateGraphOptions } = {},
): Promise<WorkflowsHarness> {
  const registry = options.registry ?? createCoreNodeRegistry();
  const database = await createTestDatabase();
  const clock = createManualClock(new Date());
  const access = createTestWorkspaces();
  const alpha = access.addWorkspace('alpha');
  const beta = access.addWorkspace('beta');
  const [alice, bob, victor] = [newId(), newId(), newId()];
  access.addMember(alice, alpha);
  access.addMember(bob, beta);
  access.addMember(victor, alpha, 'viewer');
  const audits: AuditEntry[] = [];
  const workflows = createWorkflowsModule({
    database,
    clock,
    registry,
    requireWorkspaceAccess: access.requireWorkspaceAccess,
    audit: { recordAudit: async (entry) => void audits.push(entry) },
    ...(options.validateOptions ? { validateOptions: options.validateOptions } : {}),
  });
  const app = await createHttpApp({ logger: silentLogger, bodyLimitBytes: 1_048_576, rateLimitPerMinute: 1_000_000 });
  registerRoutes(app, workflows.routes, createHeaderAuthenticate());
  await app.ready();
  return {
    database,
    app,
    workflows,
    registry,
    audits,
    clock,
    alpha,
    beta,
    alice,
    bob,
    victor,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

interface TestNode {
  id: string;
  type: string;
  version: number;
  name: string;
  params: Record<string, unknown>;
  position: { x: number; y: number };
  credentialId?: string;
}

export function buildTestNode(id: string, type: string, params: Record<string, unknown> = {}, extra: Partial<TestNode> = {}): TestNode {
  return { id, type, version: 1, name: id, params, position: { x: 0, y: 0 }, ...extra };
}

export function linkTestNodes(from: string, to: string, fromPort = 'main', toPort = 'main') {
  return { from, fromPort, to, toPort };
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

/** Request options for app.inject as a signed-in user (or an API token with `scopes`). */
export function asUser(userId: string, scopes?: string[]): { headers: Record<string, string> } {
  return { headers: { 'x-test-user': userId, ...(scopes ? { 'x-test-scopes': scopes.join(',') } : {}) } };
}
