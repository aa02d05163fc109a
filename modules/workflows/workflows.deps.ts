import type { Database, DbExecutor, Tx } from '@weft/db';
import type { NodeRegistry, ValidateGraphOptions } from '@weft/engine';
import type { Principal } from '@weft/http';
import type { Clock } from '@weft/kernel';

/** Structurally the audit module's `AuditEntryInput`. */
export interface AuditEntry {
  actor: { type: 'user' | 'token' | 'system'; id: string | null };
  action: string;
  target?: { type: string; id: string } | null;
  workspaceId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export type WorkspacePermission = 'resources.read' | 'resources.write' | 'resources.execute';

/** The workspaces module's access check: 404 for a workspace the caller cannot see, 403 for a missing permission. */
export type RequireWorkspaceAccess = (
  principal: Principal,
  workspaceRef: string,
  permission: WorkspacePermission,
) => Promise<{ workspace: { id: string; slug: string }; role: string }>;

/** The workspace a use case acts in, already resolved and authorized. */
export interface WorkspaceRef {
  id: string;
  slug: string;
}

/** Who acts: a signed-in user, an API token's user, or the system (CLI import). */
export interface Actor {
  type: 'user' | 'token' | 'system';
  /** User id; null for the system. */
  id: string | null;
  ip?: string | null;
}

export function describeActor(principal: Principal, ip?: string): Actor {
  return { type: principal.via === 'token' ? 'token' : 'user', id: principal.userId, ip: ip ?? null };
}

/** What `created_by` / `published_by` hold for an action of the system. */
export const SYSTEM_AUTHOR = 'system';
export const ERASED_AUTHOR = 'erased-subject';

/** A node's credential as publishing checks it: the type comes from the node's definition and params. */
export interface CredentialReference {
  nodeId: string;
  credentialId: string;
  type: string;
}

export interface WorkflowsModuleDeps {
  database: Database;
  clock: Clock;
  /** Node types a published graph may use; the same registry the runs module executes with. */
  registry: NodeRegistry;
  requireWorkspaceAccess: RequireWorkspaceAccess;
  /** Always called with the transaction of the audited change. */
  audit: { recordAudit(entry: AuditEntry, tx: Tx): Promise<void> };
  /** Loop node types and the credential check, once those exist. */
  validateOptions?: ValidateGraphOptions;
  /**
   * The credentials module's check of a graph's credential references inside
   * the publishing workspace, in the publish transaction: node id → problem.
   */
  checkCredentials?: (executor: DbExecutor, workspaceId: string, references: CredentialReference[]) => Promise<Map<string, string>>;
}
