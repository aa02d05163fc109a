import { randomBytes } from 'node:crypto';
import { createAuditModule } from '@weft/audit';
import type { Database } from '@weft/db';
import type { Principal } from '@weft/http';
import { AppError, CoreErrors, createKeyring, createManualClock, newId, type Keyring } from '@weft/kernel';
import type { RequireWorkspaceAccess, WorkspacePermission } from './credentials.dependencies';
import { createCredentialsService } from './credentials.service';
import { createCredentialsModule } from './index';
import { createRunCredentials } from './run-credentials.service';
import { createWorkspaceKeys } from './workspace-keys.service';

/**
 * Small real stand-ins for what other modules provide, for this module's
 * tests: a workspace directory with the same 404/403 rules as the workspaces
 * module, a keyring holder that plays the instance secrets file, and the real
 * audit module.
 */
type Role = 'owner' | 'admin' | 'member' | 'viewer';
const MANAGERS: Role[] = ['owner', 'admin'];

export interface TestWorkspace {
  id: string;
  slug: string;
}

export function createWorkspaceDirectory() {
  const workspaces = new Map<string, TestWorkspace & { members: Map<string, Role> }>();
  const requireWorkspaceAccess: RequireWorkspaceAccess = async (principal, workspaceRef, permission: WorkspacePermission) => {
    const workspace = [...workspaces.values()].find((w) => w.id === workspaceRef || w.slug === workspaceRef);
    const role = workspace?.members.get(principal.userId);
    // Non-members learn nothing, not even that the workspace exists.
    if (!workspace || !role) throw new AppError(CoreErrors.NOT_FOUND, 'No such workspace');
    if (permission === 'credentials.manage' && !MANAGERS.includes(role)) throw new AppError(CoreErrors.FORBIDDEN, 'Not allowed');
    return { workspace: { id: workspace.id, slug: workspace.slug }, role };
  };
  return {
    requireWorkspaceAccess,
    addWorkspace(slug: string, members: Record<string, Role>): TestWorkspace {
      const workspace = { id: newId(), slug, members: new Map(Object.entries(members)) };
      workspaces.set(workspace.id, workspace);
      return { id: workspace.id, slug };
    },
  };
}

/** A keyring with a fresh random key for each version; `current` defaults to the highest. */
export function createTestKeyring(keys: Record<number, Buffer>, current = Math.max(...Object.keys(keys).map(Number))): Keyring {
  return createKeyring(keys, current);
}

export function createMasterKeys(...versions: number[]): Record<number, Buffer> {
  return Object.fromEntries(versions.map((v) => [v, randomBytes(32)]));
}

export function principalOf(userId: string): Principal {
  return { userId, isAdmin: false, via: 'session' };
}

export function createTestCredentialsModule(database: Database, options: { loadKeyring: () => Keyring; directory?: ReturnType<typeof createWorkspaceDirectory> }) {
  const clock = createManualClock(new Date('2026-06-01T00:00:00Z'));
  const audit = createAuditModule({ database, clock, ipHashKey: 'test-ip-key' });
  const directory = options.directory ?? createWorkspaceDirectory();
  const deps = {
    database,
    clock,
    loadKeyring: options.loadKeyring,
    requireWorkspaceAccess: directory.requireWorkspaceAccess,
    recordAudit: audit.api.recordAudit,
  };
  const keys = createWorkspaceKeys(deps);
  return {
    module: createCredentialsModule(deps),
    service: createCredentialsService({ ...deps, keys }),
    run: createRunCredentials({ ...deps, keys }),
    keys,
    audit,
    directory,
    clock,
  };
}
