import { AppError, CoreErrors } from '@weft/kernel';
import type { DbExecutor } from '@weft/db';
import type { Principal } from '@weft/http';
import { can, type Permission } from './workspaces.permissions';
import { findWorkspaceWithRole, type WorkspaceWithRole } from './workspaces.repository';
import { WorkspaceErrors } from './workspaces.errors';

/**
 * The one access check. Unknown, deleted and foreign workspaces get the same
 * 404 so that probing ids or slugs tells nothing; only a member learns that a
 * permission is missing (403). An API token bound to one workspace sees no
 * other: for it, every other workspace does not exist.
 */
export async function requireAccessIn(
  executor: DbExecutor,
  principal: Principal | null,
  ref: string,
  permission: Permission,
  options: { lock?: boolean } = {},
): Promise<WorkspaceWithRole> {
  if (!principal) throw new AppError(CoreErrors.UNAUTHENTICATED, 'Sign in to do this');
  const found = await findWorkspaceWithRole(executor, principal.userId, ref, options.lock);
  if (!found || (principal.tokenWorkspaceId !== undefined && principal.tokenWorkspaceId !== found.workspace.id)) {
    throw new AppError(WorkspaceErrors.WORKSPACE_NOT_FOUND, 'Workspace not found');
  }
  if (!can(found.role, permission)) {
    throw new AppError(WorkspaceErrors.WORKSPACE_FORBIDDEN, `Your role cannot do this (${permission})`, {
      permission,
      role: found.role,
    });
  }
  return found;
}

/** Account-level actions (create a workspace, accept an invitation) are out of reach of a workspace-bound token. */
export function refuseWorkspaceBoundToken(principal: Principal): void {
  if (principal.tokenWorkspaceId !== undefined) {
    throw new AppError(WorkspaceErrors.WORKSPACE_FORBIDDEN, 'This API token is bound to one workspace', {
      reason: 'token-bound-to-workspace',
    });
  }
}
