import { z } from 'zod';
import { defineRoute, type RouteDefinition } from '@weft/http';
import { AppError, newId, type Logger } from '@weft/kernel';
import { testNode, type NodeRegistry } from '@weft/engine';
import { createWorkspaceGuard, WorkflowErrors, type RequireWorkspaceAccess, type WorkflowCatalog } from '@weft/workflows';
import type { RunServices } from './workspace-services';

const NodeTestParams = z.object({ workspace: z.string().min(1).max(100), id: z.uuid(), nodeId: z.string().min(1).max(64) });

const NodeTestBody = z.strictObject({
  input: z.unknown().optional().describe("What the node receives on its input (a trigger: what it is triggered with); default {}"),
  nodes: z.record(z.string().min(1).max(64), z.unknown()).optional().describe('Pinned outputs of other nodes, read by expressions as $nodes.<id>'),
  trigger: z.unknown().optional().describe('What expressions see as $trigger (default: input)'),
});

const NodeTestResult = z.object({
  status: z.enum(['succeeded', 'failed', 'skipped', 'waiting']),
  output: z.unknown().optional(),
  port: z.string().optional(),
  error: z.unknown().optional(),
  durationMs: z.number(),
});

/** Long enough for a slow API call, short enough that a test never ties up the server. */
const NODE_TEST_TIMEOUT_MS = 30_000;

export interface NodeTestDeps {
  registry: NodeRegistry;
  catalog: Pick<WorkflowCatalog, 'findDraftNode'>;
  servicesFor(workspaceId: string): RunServices;
  requireWorkspaceAccess: RequireWorkspaceAccess;
  logger: Logger;
}

/**
 * "Test this node": runs one node of the draft with pinned data and answers
 * with its output or error, without running the workflow or storing a run.
 * The node does its real work with the workspace's credentials, so this
 * needs the permission to execute, like starting a run.
 */
export function createNodeTestRoutes(deps: NodeTestDeps): RouteDefinition[] {
  const guard = createWorkspaceGuard(deps.requireWorkspaceAccess);
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/workspaces/:workspace/workflows/:id/nodes/:nodeId/test',
      auth: 'user',
      scope: 'runs:write',
      summary: 'Run one node of the draft with pinned input and see its output, without running the workflow',
      tags: ['runs'],
      params: NodeTestParams,
      body: NodeTestBody,
      response: NodeTestResult,
      handler: async ({ params, body, principal }) => {
        const workspace = await guard(principal, params.workspace, 'resources.execute');
        const node = await deps.catalog.findDraftNode(workspace.id, params.id, params.nodeId);
        if (node === undefined) throw new AppError(WorkflowErrors.WORKFLOW_NOT_FOUND, 'Workflow not found');
        if (node === null) throw new AppError(WorkflowErrors.WORKFLOW_NODE_NOT_FOUND, `The draft has no node "${params.nodeId}"`, { nodeId: params.nodeId });
        return testNode({
          node,
          registry: deps.registry,
          input: body.input ?? {},
          ...(body.nodes ? { pinnedOutputs: body.nodes } : {}),
          ...(body.trigger === undefined ? {} : { trigger: body.trigger }),
          ...deps.servicesFor(workspace.id),
          logger: deps.logger,
          timeoutMs: NODE_TEST_TIMEOUT_MS,
          runId: `test-${newId()}`,
        });
      },
    }),
  ];
}
