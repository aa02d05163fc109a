import {
  ExportWorkflowQuery,
  GraphDiffView,
  ImportedWorkflow,
  ImportWorkflowBody,
  PublishedVersionView,
  PublishWorkflowBody,
  RollbackWorkflowBody,
  VersionDetail,
  VersionDiffParams,
  VersionList,
  VersionParams,
  WorkflowDocument,
  WorkflowParams,
  WorkspaceParams,
} from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
import { describeActor, type RequireWorkspaceAccess } from './workflows.deps';
import { createWorkspaceGuard, WORKFLOWS_URL } from './workflows.routes';
import { toWorkflowSummary } from './workflows.schemas';
import type { WorkflowVersionsService } from './workflow-versions.service';

export function createWorkflowVersionsRoutes(versions: WorkflowVersionsService, requireWorkspaceAccess: RequireWorkspaceAccess): RouteDefinition[] {
  const guard = createWorkspaceGuard(requireWorkspaceAccess);
  return [
    defineRoute({
      method: 'POST',
      url: `${WORKFLOWS_URL}/:id/publish`,
      auth: 'user',
      scope: 'workflows:write',
      summary: 'Publish the draft as the next version (422 WORKFLOW_INVALID lists every problem)',
      tags: ['workflows'],
      params: WorkflowParams,
      body: PublishWorkflowBody,
      response: PublishedVersionView,
      successStatus: 201,
      handler: async ({ params, body, principal, ip }) => {
        const workspace = await guard(principal, params.workspace, 'resources.write');
        return versions.publishWorkflow(workspace, describeActor(principal!, ip), params.id, body.message);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${WORKFLOWS_URL}/:id/versions`,
      auth: 'user',
      scope: 'workflows:read',
      summary: 'Published versions, newest first',
      tags: ['workflows'],
      params: WorkflowParams,
      response: VersionList,
      handler: async ({ params, principal }) => {
        const workspace = await guard(principal, params.workspace, 'resources.read');
        return { items: await versions.listVersions(workspace, params.id) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${WORKFLOWS_URL}/:id/versions/:version`,
      auth: 'user',
      scope: 'workflows:read',
      summary: 'One published version with its graph',
      tags: ['workflows'],
      params: VersionParams,
      response: VersionDetail,
      handler: async ({ params, principal }) => {
        const workspace = await guard(principal, params.workspace, 'resources.read');
        return versions.getVersion(workspace, params.id, params.version);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${WORKFLOWS_URL}/:id/versions/:a/diff/:b`,
      auth: 'user',
      scope: 'workflows:read',
      summary: 'What changed from version a to version b (a number or "draft")',
      tags: ['workflows'],
      params: VersionDiffParams,
      response: GraphDiffView,
      handler: async ({ params, principal }) => {
        const workspace = await guard(principal, params.workspace, 'resources.read');
        return versions.diffVersions(workspace, params.id, params.a, params.b);
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${WORKFLOWS_URL}/:id/rollback`,
      auth: 'user',
      scope: 'workflows:write',
      summary: 'Publish an older version again, as a new version',
      tags: ['workflows'],
      params: WorkflowParams,
      body: RollbackWorkflowBody,
      response: PublishedVersionView,
      successStatus: 201,
      handler: async ({ params, body, principal, ip }) => {
        const workspace = await guard(principal, params.workspace, 'resources.write');
        return versions.rollbackWorkflow(workspace, describeActor(principal!, ip), params.id, body.version, body.message);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${WORKFLOWS_URL}/:id/export`,
      auth: 'user',
      scope: 'workflows:read',
      summary: 'The workflow as stable, pretty JSON (the draft, or ?version=n)',
      tags: ['workflows'],
      params: WorkflowParams,
      query: ExportWorkflowQuery,
      response: WorkflowDocument,
      handler: async ({ params, query, principal, reply }) => {
        const workspace = await guard(principal, params.workspace, 'resources.read');
        const exported = await versions.exportWorkflow(workspace, params.id, query.version);
        // Sent as built: the bytes are the point (sorted keys, 2 spaces, final newline).
        const filename = `${exported.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'workflow'}.workflow.json`;
        // A Fastify reply is thenable: returning it makes registerRoutes wait until these exact bytes are sent,
        // after which it sees `reply.sent` and skips its own serialisation.
        const sent = reply
          .status(200)
          .header('content-disposition', `attachment; filename="${filename}"`)
          .type('application/json; charset=utf-8')
          .send(exported.json);
        return sent as unknown as WorkflowDocument;
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${WORKFLOWS_URL}/import`,
      auth: 'user',
      scope: 'workflows:write',
      summary: 'Create a workflow from an export document, and publish it if asked',
      tags: ['workflows'],
      params: WorkspaceParams,
      body: ImportWorkflowBody,
      response: ImportedWorkflow,
      successStatus: 201,
      handler: async ({ params, body, principal, ip }) => {
        const workspace = await guard(principal, params.workspace, 'resources.write');
        const imported = await versions.importWorkflow(workspace, describeActor(principal!, ip), body.document, body.publish);
        return { workflow: toWorkflowSummary(imported.workflow), published: imported.published };
      },
    }),
  ];
}
