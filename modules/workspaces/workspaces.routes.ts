import { CreateWorkspaceBody, NoContent, PageQuery, UpdateWorkspaceBody, WorkspacePage, WorkspaceParams, WorkspaceView } from '@weft/contracts';
import { decodeCursor, defineRoute, encodeCursor, type RouteDefinition } from '@weft/http';
import { toWorkspaceView } from './workspaces.schemas';
import type { WorkspacesService } from './workspaces.service';

export function createWorkspaceRoutes(workspaces: WorkspacesService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/workspaces',
      auth: 'user',
      scope: 'workspaces:read',
      summary: 'The workspaces I belong to, with my role in each',
      tags: ['workspaces'],
      query: PageQuery,
      response: WorkspacePage,
      handler: async ({ query, principal }) => {
        const afterId = decodeCursor(query.cursor)?.id;
        const rows = await workspaces.listMyWorkspaces(principal!, { afterId, limit: query.limit + 1 });
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return {
          items: page.map(toWorkspaceView),
          nextCursor: rows.length > query.limit && last ? encodeCursor({ id: last.workspace.id }) : null,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/workspaces',
      auth: 'user',
      scope: 'workspaces:write',
      summary: 'Create a team workspace; you become its owner',
      tags: ['workspaces'],
      body: CreateWorkspaceBody,
      response: WorkspaceView,
      successStatus: 201,
      rateLimit: { max: 20, timeWindowMs: 60_000 },
      handler: async ({ body, principal, ip }) => toWorkspaceView(await workspaces.createTeamWorkspace({ principal: principal!, ip }, body)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/workspaces/:workspace',
      auth: 'user',
      scope: 'workspaces:read',
      summary: 'One workspace (by id or slug) and my role in it',
      tags: ['workspaces'],
      params: WorkspaceParams,
      response: WorkspaceView,
      handler: async ({ params, principal }) =>
        toWorkspaceView(await workspaces.requireWorkspaceAccess(principal, params.workspace, 'workspace.read')),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/workspaces/:workspace',
      auth: 'user',
      scope: 'workspaces:write',
      summary: 'Rename a workspace or change its slug (owners and admins)',
      tags: ['workspaces'],
      params: WorkspaceParams,
      body: UpdateWorkspaceBody,
      response: WorkspaceView,
      handler: async ({ params, body, principal, ip }) =>
        toWorkspaceView(await workspaces.updateWorkspace({ principal: principal!, ip }, params.workspace, body)),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/workspaces/:workspace',
      auth: 'user',
      scope: 'workspaces:write',
      summary: 'Delete a team workspace (owners); a personal workspace goes with its account',
      tags: ['workspaces'],
      params: WorkspaceParams,
      response: NoContent,
      successStatus: 204,
      handler: async ({ params, principal, ip }) => {
        await workspaces.deleteWorkspace({ principal: principal!, ip }, params.workspace);
        return null;
      },
    }),
  ];
}
