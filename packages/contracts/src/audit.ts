import { z } from 'zod';
import { IsoDate, Page, PageQuery } from './common';

/** One privileged action. The keyed IP hash the table also holds never leaves the server. */
export const AuditEntry = z.object({
  id: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  workspaceId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  at: IsoDate,
});
export type AuditEntry = z.output<typeof AuditEntry>;

export const AuditLogPage = Page(AuditEntry);
export type AuditLogPage = z.output<typeof AuditLogPage>;

/** Exact-match filters, combined with AND. */
const AuditFilterFields = {
  actorId: z.string().max(100).optional(),
  action: z.string().max(200).optional(),
  targetId: z.string().max(100).optional(),
};

/** `GET /api/v1/admin/audit-log`: every workspace, or one with `workspaceId`. */
export const AuditLogQuery = PageQuery.extend({ ...AuditFilterFields, workspaceId: z.string().max(100).optional() });
export type AuditLogQuery = z.input<typeof AuditLogQuery>;

/** `GET /api/v1/workspaces/:workspace/audit-log`: the workspace comes from the path, never from the query. */
export const WorkspaceAuditLogQuery = PageQuery.extend(AuditFilterFields);
export type WorkspaceAuditLogQuery = z.input<typeof WorkspaceAuditLogQuery>;
