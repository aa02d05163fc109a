import type { AuditEntryInput } from '@weft/audit';
import type { Tx } from '@weft/db';
import type { Principal } from '@weft/http';

/**
 * What this module needs from others, as plain function types: the
 * composition root passes the real implementations, tests pass small real
 * ones. Nothing here reaches into another module's tables.
 */
export type WorkspacePermission = 'resources.read' | 'credentials.manage';

/** The workspaces module's check: resolves an id or slug, throws 404 for non-members and 403 without the permission. */
export type RequireWorkspaceAccess = (
  principal: Principal,
  workspaceRef: string,
  permission: WorkspacePermission,
) => Promise<{ workspace: { id: string; slug: string }; role: string }>;

/** The audit module's `recordAudit`, called with the transaction of the audited change. */
export type RecordAudit = (entry: AuditEntryInput, tx: Tx) => Promise<void>;
