import { api } from './api-client';
import type { Page } from './workspaces.api';

export interface AuditEntry {
  id: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  workspaceId: string | null;
  details: Record<string, unknown>;
  at: string;
}

/** The filters GET /api/v1/admin/audit-log understands (exact matches). */
export interface AuditFilters {
  action?: string;
  actorId?: string;
  targetId?: string;
  workspaceId?: string;
}

export const auditApi = {
  listAuditLog: (filters: AuditFilters, cursor?: string) => api.get<Page<AuditEntry>>('/api/v1/admin/audit-log', { query: { limit: 50, cursor, ...filters } }),
};
