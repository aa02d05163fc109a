import { z } from 'zod';
import { defineRoute, type RouteDefinition } from '@weft/http';
import { WorkflowDocument } from './workflow-document';
import { describeActor, type RequireWorkspaceAccess } from './workflows.deps';
import { createWorkspaceGuard, WORKFLOWS_URL } from './workflows.routes';
import { isoDate, PublishedVersionView, toWorkflowSummary, WorkflowParams, WorkflowSummary, WorkspaceParams } from './workflows.schemas';
import type { WorkflowVersionsService } from './workflow-versions.service';

const VersionRef = z.literal('draft').or(z.coerce.number().int().min(1).max(1_000_000));
const Message = z.string().max(1000);

const VersionSummary = z.object({
  id: z.string(),
  version: z.number(),
  message: z.string(),
  publishedBy: z.string(),
  publishedAt: isoDate,
});

const EdgeView = z.object({ from: z.string(), fromPort: z.string(), to: z.string(), toPort: z.string() });
const GraphDiffView = z.object({
  nodes: z.object({
    added: z.array(z.string()),
    removed: z.array(z.string()),
    changed: z.array(z.object({ nodeId: z.string(), paths: z.array(z.string()) })),
  }),
  edges: z.object({ added: z.array(EdgeView), removed: z.array(EdgeView) }),
});

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
      body: z.strictObject({ message: Message.default('') }).default({ message: '' }),
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
      response: z.object({ items: z.array(VersionSummary) }),
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
      params: WorkflowParams.extend({ version: z.coerce.number().int().min(1).max(1_000_000) }),
      response: VersionSummary.extend({ graph: z.unknown() }),
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
      params: WorkflowParams.extend({ a: VersionRef, b: VersionRef }),
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
      body: z.strictObject({ version: z.number().int().min(1), message: Message.optional() }),
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
      query: z.object({ version: VersionRef.default('draft') }),
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
      body: z.strictObject({ document: WorkflowDocument, publish: z.boolean().default(false) }),
      response: z.object({ workflow: WorkflowSummary, published: PublishedVersionView.nullable() }),
      successStatus: 201,
      handler: async ({ params, body, principal, ip }) => {
        const workspace = await guard(principal, params.workspace, 'resources.write');
        const imported = await versions.importWorkflow(workspace, describeActor(principal!, ip), body.document, body.publish);
        return { workflow: toWorkflowSummary(imported.workflow), published: imported.published };
      },
    }),
  ];
}
