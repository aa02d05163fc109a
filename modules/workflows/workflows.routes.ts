import {
  CreateWorkflowBody,
  UpdateWorkflowBody,
  WorkflowListQuery,
  WorkflowPage,
  WorkflowParams,
  WorkflowSummary,
  WorkflowView,
  WorkspaceParams,
} from '@weft/contracts';
import { decodeCursor, defineRoute, encodeCursor, type Principal, type RouteDefinition } from '@weft/http';
import { describeActor, type RequireWorkspaceAccess, type WorkspacePermission, type WorkspaceRef } from './workflows.deps';
import { toWorkflowSummary, toWorkflowView } from './workflows.schemas';
import type { WorkflowsService } from './workflows.service';

export const WORKFLOWS_URL = '/api/v1/workspaces/:workspace/workflows';

/** Resolves the workspace of the URL for the caller, or throws its 404/403. */
export function createWorkspaceGuard(requireWorkspaceAccess: RequireWorkspaceAccess) {
  return async (principal: Principal | null, workspaceRef: string, permission: WorkspacePermission): Promise<WorkspaceRef> => {
    // `auth: 'user'` routes only: registerRoutes has refused anonymous callers already.
    const { workspace } = await requireWorkspaceAccess(principal!, workspaceRef, permission);
    return { id: workspace.id, slug: workspace.slug };
  };
}

export function createWorkflowsRoutes(workflows: WorkflowsService, requireWorkspaceAccess: RequireWorkspaceAccess): RouteDefinition[] {
  const guard = createWorkspaceGuard(requireWorkspaceAccess);
  return [
    defineRoute({
      method: 'GET',
      url: WORKFLOWS_URL,
      auth: 'user',
      scope: 'workflows:read',
      summary: 'Workflows of a workspace, newest first',
      tags: ['workflows'],
      params: WorkspaceParams,
      query: WorkflowListQuery,
      response: WorkflowPage,
      handler: async ({ params, query, principal }) => {
        const workspace = await guard(principal, params.workspace, 'resources.read');
        const cursor = decodeCursor(query.cursor);
        const beforeId = typeof cursor?.id === 'string' ? cursor.id : undefined;
        const rows = await workflows.listWorkflows(
          { workspaceId: workspace.id, includeArchived: query.includeArchived === 'true', ...(beforeId ? { beforeId } : {}) },
          query.limit + 1,
        );
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return { items: page.map(toWorkflowSummary), nextCursor: rows.length > query.limit && last ? encodeCursor({ id: last.id }) : null };
      },
    }),
    defineRoute({
      method: 'POST',
      url: WORKFLOWS_URL,
      auth: 'user',
      scope: 'workflows:write',
      summary: 'Create a workflow; the reply lists the problems of its draft',
      tags: ['workflows'],
      params: WorkspaceParams,
      body: CreateWorkflowBody,
      response: WorkflowView,
      successStatus: 201,
      handler: async ({ params, body, principal, ip }) => {
        const workspace = await guard(principal, params.workspace, 'resources.write');
        return toWorkflowView(await workflows.createWorkflow(workspace, describeActor(principal!, ip), body));
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${WORKFLOWS_URL}/:id`,
      auth: 'user',
      scope: 'workflows:read',
      summary: 'A workflow with its draft and the draft’s problems',
      tags: ['workflows'],
      params: WorkflowParams,
      response: WorkflowView,
      handler: async ({ params, principal }) => {
        const workspace = await guard(principal, params.workspace, 'resources.read');
        return toWorkflowView(await workflows.getWorkflow(workspace, params.id));
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: `${WORKFLOWS_URL}/:id`,
      auth: 'user',
      scope: 'workflows:write',
      summary: 'Change the draft, name or settings; the draft is saved even with problems',
      tags: ['workflows'],
      params: WorkflowParams,
      body: UpdateWorkflowBody,
      response: WorkflowView,
      handler: async ({ params, body, principal, ip }) => {
        const workspace = await guard(principal, params.workspace, 'resources.write');
        return toWorkflowView(await workflows.updateWorkflow(workspace, describeActor(principal!, ip), params.id, body));
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: `${WORKFLOWS_URL}/:id`,
      auth: 'user',
      scope: 'workflows:write',
      summary: 'Archive a workflow: its webhooks stop, its versions and runs stay',
      tags: ['workflows'],
      params: WorkflowParams,
      response: WorkflowSummary,
      handler: async ({ params, principal, ip }) => {
        const workspace = await guard(principal, params.workspace, 'resources.write');
        return toWorkflowSummary(await workflows.archiveWorkflow(workspace, describeActor(principal!, ip), params.id));
      },
    }),
  ];
}
