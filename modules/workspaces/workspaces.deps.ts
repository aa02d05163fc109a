import type { Database, Tx } from '@weft/db';
import type { Principal } from '@weft/http';
import type { Clock } from '@weft/kernel';

/** The audit entry this module writes; structurally the audit module's `AuditEntryInput`. */
export interface WorkspaceAuditEntry {
  actor: { type: 'user' | 'system'; id: string | null };
  action: string;
  target?: { type: string; id: string } | null;
  workspaceId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export interface UserSummary {
  id: string;
  email: string;
  username: string;
}

export interface InvitationEmail {
  to: string;
  workspaceName: string;
  inviterName: string;
  acceptUrl: string;
}

/** Everything the module needs from the outside, given by the composition root. */
export interface WorkspacesModuleDeps {
  database: Database;
  clock: Clock;
  /** Always called with the transaction of the audited change. */
  audit: { recordAudit(entry: WorkspaceAuditEntry, tx?: Tx): Promise<void> };
  /**
   * Called outside any transaction of this module: on PGlite a query on
   * another handle while a transaction is open would wait for it forever.
   */
  users: { findUsersByIds(ids: string[]): Promise<UserSummary[]> };
  /** Called after the invitation is committed; a failure leaves it in place and the admin can re-invite. */
  sendInvitationEmail(input: InvitationEmail): Promise<void>;
  /** Base URL of the dashboard, without a trailing slash. */
  publicUrl: string;
}

/** Who acts, and from where (the audit log keeps a keyed hash of the network only). */
export interface Caller {
  principal: Principal;
  ip?: string;
}

/** Builds the audit entry of an action taken by a signed-in caller, or by the system (erasure). */
export function describeAction(
  by: Caller | { userId: string } | 'system',
  action: string,
  workspaceId: string,
  target: { type: 'workspace' | 'user' | 'invitation'; id: string },
  details?: Record<string, unknown>,
): WorkspaceAuditEntry {
  if (by === 'system') return { actor: { type: 'system', id: null }, action, target, workspaceId, details };
  if ('userId' in by) return { actor: { type: 'user', id: by.userId }, action, target, workspaceId, details };
  return { actor: { type: 'user', id: by.principal.userId }, action, target, workspaceId, ip: by.ip ?? null, details };
}
