import { AccountsEvents } from '@weft/accounts';
import { castBoolean, compileExpression, EngineErrors, type CompiledExpression } from '@weft/engine';
import { AppError, isUuid, type EventSubscriber } from '@weft/kernel';
import { WorkflowErrors, WorkflowEvents } from '@weft/workflows';
import { WorkspaceEvents } from '@weft/workspaces';
import { listEventTriggersFor, type EventTriggerRow } from './event-triggers.repository';
import type { TriggersModuleDeps } from './triggers.deps';

type AppEventsDeps = Pick<TriggersModuleDeps, 'database' | 'logger' | 'startRun' | 'instanceEventsWorkspaceId'>;

/**
 * The app events a workflow can start on (the `trigger.event` node's enum) and
 * the one workspace each concerns. Workspace events go to that workspace only.
 * User events are instance-wide (a sign-up belongs to no team), so they go to
 * the workspace the operator names, or nowhere — never to every workspace.
 */
export const APP_EVENT_WORKSPACE: Readonly<Record<string, (payload: Record<string, unknown>, instanceWorkspaceId: string | null) => string | null>> = {
  [AccountsEvents.userSignedUp]: (_payload, instance) => instance,
  [AccountsEvents.userDeactivated]: (_payload, instance) => instance,
  [WorkspaceEvents.memberRemoved]: (payload) => workspaceOf(payload),
  [WorkflowEvents.versionPublished]: (payload) => workspaceOf(payload),
  [WorkflowEvents.workflowArchived]: (payload) => workspaceOf(payload),
};

function workspaceOf(payload: Record<string, unknown>): string | null {
  return typeof payload.workspaceId === 'string' && isUuid(payload.workspaceId) ? payload.workspaceId : null;
}

const STALE_WORKFLOW_CODES: ReadonlySet<string> = new Set([WorkflowErrors.WORKFLOW_NOT_FOUND, WorkflowErrors.WORKFLOW_NOT_PUBLISHED, WorkflowErrors.WORKFLOW_ARCHIVED]);

const FILTER_ERROR_CODES: ReadonlySet<string> = new Set([EngineErrors.ENGINE_EXPRESSION_INVALID, EngineErrors.ENGINE_EXPRESSION_FAILED]);

/**
 * Starts a run of every published workflow of the concerned workspace whose
 * event trigger matches. The run key is the outbox event id, so a redelivered
 * event hands back the runs it already started; a failure to start one run
 * makes the delivery fail and be retried, without doubling the others.
 */
export function createAppEventRuns(deps: AppEventsDeps) {
  const filters = new Map<string, CompiledExpression>();

  async function isAccepted(trigger: EventTriggerRow, payload: unknown): Promise<boolean> {
    if (trigger.filter === null) return true;
    let filter = filters.get(trigger.filter);
    if (!filter) {
      filter = compileExpression(trigger.filter, { nodeId: trigger.nodeId, param: 'filter' });
      filters.set(trigger.filter, filter);
    }
    return castBoolean(await filter.evaluate(payload, { input: payload, nodes: {}, trigger: payload }));
  }

  async function startEventRuns(event: string, rawPayload: unknown, eventId: string): Promise<number> {
    const payload = (typeof rawPayload === 'object' && rawPayload !== null ? rawPayload : {}) as Record<string, unknown>;
    const workspaceId = APP_EVENT_WORKSPACE[event]?.(payload, deps.instanceEventsWorkspaceId ?? null) ?? null;
    if (workspaceId === null) return 0;
    let created = 0;
    let failure: unknown = null;
    for (const trigger of await listEventTriggersFor(deps.database.db, event, workspaceId)) {
      try {
        if (!(await isAccepted(trigger, payload))) continue;
        const started = await deps.startRun({
          workspaceId,
          workflowId: trigger.workflowId,
          triggerKind: 'event',
          input: { event, eventId, payload },
          idempotencyKey: `event:${eventId}`,
        });
        if (started.isCreated) created += 1;
      } catch (error) {
        if (error instanceof AppError && STALE_WORKFLOW_CODES.has(error.code)) continue;
        // A filter that fails on this payload is the workflow author's to fix; retrying would not help.
        if (error instanceof AppError && FILTER_ERROR_CODES.has(error.code)) {
          deps.logger.warn({ err: error, workflowId: trigger.workflowId, event }, 'event filter failed; no run started');
          continue;
        }
        failure ??= error;
      }
    }
    if (failure !== null) throw failure;
    return created;
  }

  const subscribers: EventSubscriber[] = Object.keys(APP_EVENT_WORKSPACE).map((event) => ({
    event,
    name: 'triggers.start-event-runs',
    deliver: async (payload, { eventId }) => void (await startEventRuns(event, payload, eventId)),
  }));

  return { startEventRuns, subscribers };
}
