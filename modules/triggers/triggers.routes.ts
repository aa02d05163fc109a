import { ScheduleList, WorkspaceParams } from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
import { createWorkspaceGuard, type RequireWorkspaceAccess } from '@weft/workflows';
import type { ScheduleRow } from './schedules.repository';

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
      params: WorkspaceParams,
      response: ScheduleList,
      handler: async ({ params, principal }) => {
        const workspace = await guard(principal, params.workspace, 'resources.read');
        return { items: await listSchedules(workspace.id) };
      },
    }),
  ];
}
