import { z } from 'zod';
import { RunParams, WorkspaceParams } from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
import { createWorkspaceGuard, type RequireWorkspaceAccess } from '@weft/workflows';
import type { RunEventStreams } from './run-event-streams';

const RUNS_URL = '/api/v1/workspaces/:workspace/runs';

/**
 * Server-sent events (`text/event-stream`). Readers of the workspace only;
 * a run of another workspace is 404 like everywhere else. The reply is the
 * stream itself, so the route's `response` documents a text body.
 */
export function createRunEventsRoutes(streams: RunEventStreams, requireWorkspaceAccess: RequireWorkspaceAccess): RouteDefinition[] {
  const guard = createWorkspaceGuard(requireWorkspaceAccess);
  return [
    defineRoute({
      method: 'GET',
      url: `${RUNS_URL}/events`,
      auth: 'user',
      scope: 'runs:read',
      summary: 'text/event-stream of the workspace’s runs: run.created and run.status events (for live lists)',
      tags: ['runs'],
      params: WorkspaceParams,
      response: z.unknown().describe('text/event-stream'),
      responseType: 'text',
      handler: async ({ params, principal, reply }) => {
        const workspace = await guard(principal, params.workspace, 'resources.read');
        await streams.streamWorkspaceRunEvents(workspace, reply);
        return reply;
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${RUNS_URL}/:id/events`,
      auth: 'user',
      scope: 'runs:read',
      summary:
        'text/event-stream of one run: a snapshot (run and step statuses), then step.started, step.finished, step.failed and run.status events until the run ends; every connection starts with a snapshot',
      tags: ['runs'],
      params: RunParams,
      response: z.unknown().describe('text/event-stream'),
      responseType: 'text',
      handler: async ({ params, principal, reply }) => {
        const workspace = await guard(principal, params.workspace, 'resources.read');
        await streams.streamRunEvents(workspace, params.id, reply);
        return reply;
      },
    }),
  ];
}
