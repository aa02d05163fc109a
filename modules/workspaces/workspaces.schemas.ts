import type { z } from 'zod';
import type { WorkspaceView } from '@weft/contracts';
import { listPermissions } from './workspaces.permissions';
import type { WorkspaceWithRole } from './workspaces.repository';

/** The reply shapes themselves live in packages/contracts; this maps the module's rows onto them. */
export function toWorkspaceView({ workspace, role }: WorkspaceWithRole): z.input<typeof WorkspaceView> {
  const { id, slug, name, kind, createdAt } = workspace;
  return { id, slug, name, kind, createdAt, role, permissions: listPermissions(role) };
}
