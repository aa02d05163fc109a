import { z } from 'zod';
import { decodeCursor, defineRoute, encodeCursor, PageQuery, type RouteDefinition } from '@weft/http';
import type { AuditService } from './audit.service';

const AuditEntry = z.object({
  id: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  workspaceId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  at: z.date().transform((d) => d.toISOString()),
});

const AuditLogPage = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });

const AuditLogQuery = PageQuery.extend({
  actorId: z.string().max(100).optional(),
  action: z.string().max(200).optional(),
  workspaceId: z.string().max(100).optional(),
  targetId: z.string().max(100).optional(),
});

export function createAuditRoutes(audit: AuditService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/audit-log',
      auth: 'admin',
      summary: 'Audit log of privileged actions, newest first (instance administrators)',
      tags: ['audit'],
      query: AuditLogQuery,
      response: AuditLogPage,
      handler: async ({ query }) => {
        const cursor = decodeCursor(query.cursor);
        const before = cursor?.at && cursor.id ? { at: new Date(cursor.at), id: cursor.id } : undefined;
        const rows = await audit.listAudit({ ...query, before }, query.limit + 1);
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return {
          items: page.map((row) => ({ ...row, details: row.details as Record<string, unknown> })),
          nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.at.toISOString(), id: last.id }) : null,
        };
      },
    }),
  ];
}
