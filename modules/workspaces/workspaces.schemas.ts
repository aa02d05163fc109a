import { z } from 'zod';
import { listPermissions, PERMISSIONS, ROLES } from './workspaces.permissions';
import type { WorkspaceWithRole } from './workspaces.repository';

/** Shared by the route files: the `:workspace` path segment (an id or a slug) and the reply shapes. */
export const WorkspaceParams = z.object({ workspace: z.string().min(1).max(64) });

export const IsoDate = z.date().transform((date) => date.toISOString());

export const WorkspaceView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  kind: z.enum(['personal', 'team']),
  createdAt: IsoDate,
  role: z.enum(ROLES),
  /** What the caller may do here, so a client can hide what would be refused. */
  permissions: z.array(z.enum(PERMISSIONS)),
});

export function toWorkspaceView({ workspace, role }: WorkspaceWithRole): z.input<typeof WorkspaceView> {
  const { id, slug, name, kind, createdAt } = workspace;
  return { id, slug, name, kind, createdAt, role, permissions: listPermissions(role) };
}

/** DELETE and other actions with nothing to say answer 204. */
export const NoContent = z.null();
