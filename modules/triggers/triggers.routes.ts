import { z } from 'zod';
import { defineRoute, type RouteDefinition } from '@weft/http';
import { createWorkspaceGuard, type RequireWorkspaceAccess } from '@weft/workflows';
import type { ScheduleRow } from './schedules.repository';
import { MISSED_FIRE_POLICY_VALUES } from './triggers.tables';

const isoDate = z.date().transform((date) => date.toISOString());

const ScheduleView = z.object({
  id: z.string(),
  workflowId: z.string(),
  versionId: z.string(),
  nodeId: z.string(),
  cron: z.string(),
  timezone: z.string(),
  missedFirePolicy: z.enum(MISSED_FIRE_POLICY_VALUES),
  nextFireAt: isoDate,
  lastFiredAt: isoDate.nullable(),
  lastRunId: z.string().nullable(),
});

export function createTriggersRoutes(
  listSchedules: (workspaceId: string) => Promise<ScheduleRow[]>,
  requireWorkspaceAccess: RequireWorkspaceAccess,
): RouteDefinition[] {
  const guard = createWorkspaceGuard(requireWorkspaceAccess);
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/workspaces/:workspace/schedules',
      auth: 'user',
      scope: 'workflows:read',
      summary: 'Schedules of the workspace’s published workflows, soonest first, with their next fire time',
      tags: ['workflows'],
      params: z.object({ workspace: z.string().min(1).max(100) }),
      response: z.object({ items: z.array(ScheduleView) }),
      handler: async ({ params, principal }) => {
        const workspace = await guard(principal, params.workspace, 'resources.read');
        return { items: await listSchedules(workspace.id) };
      },
    }),
  ];
}
