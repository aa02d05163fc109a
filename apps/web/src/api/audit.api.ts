import type { AuditEntry, AuditLogPage, AuditLogQuery, WorkspaceAuditLogQuery } from '@weft/contracts';
import { api } from './api-client';

export type { AuditEntry };

/** Exact-match filters of a workspace's audit log. */
export type AuditFilters = Omit<WorkspaceAuditLogQuery, 'limit' | 'cursor'>;

/**
 * Which log to read: one workspace's, through the route its owners and
 * admins may use, or every workspace's, through the instance administrators'.
 */
export type AuditScope = { kind: 'workspace'; workspace: string } | { kind: 'instance'; workspaceId?: string };

const PAGE_SIZE = 50;

export const auditApi = {
  listAuditLog: (scope: AuditScope, filters: AuditFilters, cursor?: string) => {
    if (scope.kind === 'workspace') {
      const query = { limit: PAGE_SIZE, cursor, ...filters } satisfies WorkspaceAuditLogQuery;
      return api.get<AuditLogPage>(`/api/v1/workspaces/${encodeURIComponent(scope.workspace)}/audit-log`, { query });
    }
    const query = { limit: PAGE_SIZE, cursor, ...filters, workspaceId: scope.workspaceId } satisfies AuditLogQuery;
    return api.get<AuditLogPage>('/api/v1/admin/audit-log', { query });
  },
};
