import { AuditLogPage, AuditLogQuery, WorkspaceAuditLogQuery, WorkspaceParams } from '@weft/contracts';
import { decodeCursor, defineRoute, encodeCursor, type Principal, type RouteDefinition } from '@weft/http';
import type { AuditFilter } from './audit.repository';
import type { AuditService } from './audit.service';

/**
 * The workspaces module's access check: 404 for a workspace the caller cannot
 * see (unknown, foreign, or outside their API token's workspace), 403 for a
 * member whose role lacks the permission.
 */
export type RequireWorkspaceAccess = (principal: Principal, workspaceRef: string, permission: 'audit.read') => Promise<{ workspace: { id: string } }>;

type PageRequest = Omit<AuditFilter, 'before'> & { limit: number; cursor?: string | undefined };

/** One keyset page, newest first: the cursor carries the (at, id) of the last entry shown. */
async function listAuditPage(audit: AuditService, { limit, cursor, ...filter }: PageRequest) {
  const decoded = decodeCursor(cursor);
  const before = decoded?.at && decoded.id ? { at: new Date(decoded.at), id: decoded.id } : undefined;
  const validBefore = before && !Number.isNaN(before.at.getTime()) ? before : undefined;
  const rows = await audit.listAudit({ ...filter, before: validBefore }, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({ ...row, details: row.details as Record<string, unknown> })),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.at.toISOString(), id: last.id }) : null,
  };
}

export function createAuditRoutes(audit: AuditService, requireWorkspaceAccess?: RequireWorkspaceAccess): RouteDefinition[] {
  const routes = [
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/audit-log',
      auth: 'admin',
      summary: 'Audit log of privileged actions, newest first (instance administrators)',
      tags: ['audit'],
      query: AuditLogQuery,
      response: AuditLogPage,
      handler: ({ query }) => listAuditPage(audit, query),
    }),
  ];
  if (requireWorkspaceAccess) {
    routes.push(
      defineRoute({
        method: 'GET',
        url: '/api/v1/workspaces/:workspace/audit-log',
        auth: 'user',
        scope: 'audit:read',
        summary: "A workspace's audit log, newest first (its owners and admins)",
        tags: ['audit'],
        params: WorkspaceParams,
        query: WorkspaceAuditLogQuery,
        response: AuditLogPage,
        handler: async ({ params, query, principal }) => {
          // `auth: 'user'`: registerRoutes has refused anonymous callers already.
          const { workspace } = await requireWorkspaceAccess(principal!, params.workspace, 'audit.read');
          // The workspace comes from the checked path only: the query schema has no workspaceId to override it.
          return listAuditPage(audit, { ...query, workspaceId: workspace.id });
        },
      }),
    );
  }
  return routes;
}
