import { z } from 'zod';
import {
  DraftRunBody,
  IdempotencyKey,
  RunListQuery,
  RunPage,
  RunParams,
  RunReplayBody,
  RunRetentionPolicy,
  RunSummary,
  RunView,
  StartedRun,
  WorkspaceParams,
} from '@weft/contracts';
import { decodeCursor, defineRoute, encodeCursor, type Principal, type RouteDefinition } from '@weft/http';
import { AppError, CoreErrors } from '@weft/kernel';
import { createWorkspaceGuard, describeActor, type RequireWorkspaceAccess } from '@weft/workflows';
import type { DraftRuns } from './draft-runs';
import type { RunListRow, RunRow, RunStepRow } from './runs.repository';
import type { RunsService } from './runs.service';

const RUNS_URL = '/api/v1/workspaces/:workspace/runs';
const WORKFLOW_URL = '/api/v1/workspaces/:workspace/workflows/:id';

function toRunSummary<T extends RunListRow>(run: T): T & { isDraft: boolean } {
  return { ...run, isDraft: run.versionId === null };
}

function toRunView(run: RunRow, steps: RunStepRow[]) {
  return { ...toRunSummary(run), steps };
}

export function createRunsRoutes(runs: RunsService, requireWorkspaceAccess: RequireWorkspaceAccess, draftRuns?: DraftRuns): RouteDefinition[] {
  const guard = createWorkspaceGuard(requireWorkspaceAccess);
  // `auth: 'user'` routes only: registerRoutes has refused anonymous callers already.
  const actorOf = (principal: Principal | null, ip: string) => describeActor(principal!, ip);

  return [
    defineRoute({
      method: 'GET',
      url: RUNS_URL,
      auth: 'user',
      scope: 'runs:read',
      summary: 'Runs of a workspace, newest first, filtered by status, workflow and time',
      tags: ['runs'],
      params: WorkspaceParams,
      query: RunListQuery,
      response: RunPage,
      handler: async ({ params, query, principal }) => {
        const workspace = await guard(principal, params.workspace, 'resources.read');
        const cursor = decodeCursor(query.cursor);
        const before = cursor?.at && cursor.id ? { at: new Date(cursor.at), id: cursor.id } : undefined;
        const rows = await runs.listRuns(
          {
            workspaceId: workspace.id,
            ...(query.status ? { status: query.status } : {}),
            ...(query.workflowId ? { workflowId: query.workflowId } : {}),
            ...(query.from ? { from: new Date(query.from) } : {}),
            ...(query.to ? { to: new Date(query.to) } : {}),
            ...(before && !Number.isNaN(before.at.getTime()) ? { before } : {}),
          },
          query.limit + 1,
        );
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return { items: page.map(toRunSummary), nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }) : null };
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${RUNS_URL}/:id`,
      auth: 'user',
      scope: 'runs:read',
      summary: 'A run with its input, result and steps',
      tags: ['runs'],
      params: RunParams,
      response: RunView,
      handler: async ({ params, principal }) => {
        const workspace = await guard(principal, params.workspace, 'resources.read');
        const { run, steps } = await runs.getRun(workspace, params.id);
        return toRunView(run, steps);
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${RUNS_URL}/:id/cancel`,
      auth: 'user',
      scope: 'runs:write',
      summary: 'Cancel a run: a queued run ends now, a running one before its next step',
      tags: ['runs'],
      params: RunParams,
      response: RunSummary,
      successStatus: 202,
      handler: async ({ params, principal, ip }) => {
        const workspace = await guard(principal, params.workspace, 'resources.execute');
        return toRunSummary(await runs.cancelRun(workspace, actorOf(principal, ip), params.id));
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${RUNS_URL}/:id/retry`,
      auth: 'user',
      scope: 'runs:write',
      summary: 'Run a failed, cancelled or timed-out run again with the same input, as a new run',
      tags: ['runs'],
      params: RunParams,
      response: StartedRun,
      successStatus: 202,
      handler: async ({ params, principal, ip }) => {
        const workspace = await guard(principal, params.workspace, 'resources.execute');
        return runs.retryRun(workspace, actorOf(principal, ip), params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${RUNS_URL}/:id/replay`,
      auth: 'user',
      scope: 'runs:write',
      summary: 'A new run that reuses the results of the steps before a node and starts there',
      tags: ['runs'],
      params: RunParams,
      body: RunReplayBody,
      response: StartedRun,
      successStatus: 202,
      handler: async ({ params, body, principal, ip }) => {
        const workspace = await guard(principal, params.workspace, 'resources.execute');
        return runs.replayRun(workspace, actorOf(principal, ip), params.id, body.fromNodeId);
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${WORKFLOW_URL}/runs`,
      auth: 'user',
      scope: 'runs:write',
      summary: 'Start a run of the published version; the body is its input; Idempotency-Key header optional',
      tags: ['runs'],
      params: RunParams,
      body: z.unknown(),
      response: StartedRun,
      successStatus: 202,
      handler: async ({ params, body, principal, request }) => {
        const header = request.headers['idempotency-key'];
        const key = header === undefined ? undefined : IdempotencyKey.safeParse(header);
        if (key && !key.success) {
          throw new AppError(CoreErrors.VALIDATION_FAILED, 'Invalid Idempotency-Key header', [{ path: 'idempotency-key', in: 'headers', message: key.error.issues[0]!.message }]);
        }
        const workspace = await guard(principal, params.workspace, 'resources.execute');
        return runs.startManualRun(workspace, params.id, body, key?.data);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${RUNS_URL}/retention`,
      auth: 'user',
      scope: 'runs:read',
      summary: 'How long this workspace keeps its runs',
      tags: ['runs'],
      params: WorkspaceParams,
      response: RunRetentionPolicy,
      handler: async ({ params, principal }) => runs.getRetentionPolicy(await guard(principal, params.workspace, 'resources.read')),
    }),
    defineRoute({
      method: 'PUT',
      url: `${RUNS_URL}/retention`,
      auth: 'user',
      scope: 'runs:write',
      summary: 'Set how long this workspace keeps its runs (age in days and count)',
      tags: ['runs'],
      params: WorkspaceParams,
      body: RunRetentionPolicy,
      response: RunRetentionPolicy,
      handler: async ({ params, body, principal, ip }) => {
        const workspace = await guard(principal, params.workspace, 'resources.write');
        return runs.setRetentionPolicy(workspace, actorOf(principal, ip), body);
      },
    }),
    ...(draftRuns ? [createDraftRunRoute(draftRuns, guard, actorOf)] : []),
  ];
}

function createDraftRunRoute(draftRuns: DraftRuns, guard: ReturnType<typeof createWorkspaceGuard>, actorOf: (principal: Principal | null, ip: string) => ReturnType<typeof describeActor>) {
  return defineRoute({
    method: 'POST',
    url: `${WORKFLOW_URL}/draft-runs`,
    auth: 'user',
    scope: 'runs:write',
    summary: 'Run the saved draft without publishing it (422 with its problems if it has any); the run is stored in full and streamed',
    tags: ['runs'],
    params: RunParams,
    body: DraftRunBody,
    response: StartedRun,
    successStatus: 202,
    handler: async ({ params, body, principal, ip }) => {
      const workspace = await guard(principal, params.workspace, 'resources.execute');
      return draftRuns.startDraftRun(workspace, actorOf(principal, ip), params.id, body);
    },
  });
}
