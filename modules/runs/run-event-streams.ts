import type { FastifyReply } from 'fastify';
import { RunSnapshotEvent, RunStatusEvent, RunStepEvent, WorkspaceRunEvent, type RunEventName } from '@weft/contracts';
import type { Database } from '@weft/db';
import { AppError, type Logger } from '@weft/kernel';
import type { WorkspaceRef } from '@weft/workflows';
import type { CompiledWorkflowCache } from './compiled-workflow-cache';
import { openEventStream, type EventStream, type EventStreamRegistry } from './event-stream';
import { describeProgressEvents, describeRunSnapshot, describeStepOrder, isRunEnded, type OrderedStep } from './run-progress';
import type { RunProgressHub } from './run-progress-hub';
import { findWatchableRun, markRunWatched, readRunProgress, type WatchableRun } from './run-progress.repository';
import { RunErrors } from './runs.errors';
import type { WorkspaceRunFeed } from './workspace-run-feed';

export interface RunEventStreamsDeps {
  database: Database;
  logger: Logger;
  graphs: CompiledWorkflowCache;
  hub: RunProgressHub;
  feed: WorkspaceRunFeed;
  streams: EventStreamRegistry;
  /** Comment lines this often (default 15 s); each also re-reads the run in case a notification was missed. */
  heartbeatMs: number;
  /** Resolves once every acknowledged run is in the database (the recorder's journal). */
  settle?: () => Promise<void>;
}

// Parsed on the way out: the events carry exactly their contract, never a stray column.
const EVENT_SCHEMAS: Record<RunEventName, { parse(value: unknown): unknown }> = {
  snapshot: RunSnapshotEvent,
  'step.started': RunStepEvent,
  'step.finished': RunStepEvent,
  'step.failed': RunStepEvent,
  'run.status': RunStatusEvent,
};

function sendRunEvent(stream: EventStream, event: RunEventName, data: unknown): void {
  stream.send(event, EVENT_SCHEMAS[event].parse(data));
}

/**
 * The two event streams. A run's stream: a snapshot, then an event per step
 * start, finish or failure and per status change, ending with the final
 * status. It works whichever process runs the run: the row of a watched run
 * NOTIFYs on every change, and the stream re-reads the run's status and its
 * steps' statuses (one small query) on each notification.
 */
export function createRunEventStreams(deps: RunEventStreamsDeps) {
  async function loadStepOrder(run: WatchableRun): Promise<OrderedStep[]> {
    try {
      return describeStepOrder(await deps.graphs.loadForRun(run));
    } catch (error) {
      // Without the order the stream still reports every stored step; only the step in flight is unknown.
      deps.logger.warn({ err: error, runId: run.id }, 'could not compile the graph of a watched run');
      return [];
    }
  }

  return {
    async streamRunEvents(workspace: WorkspaceRef, runId: string, reply: FastifyReply): Promise<void> {
      await deps.settle?.();
      const run = await findWatchableRun(deps.database.db, workspace.id, runId);
      if (!run) throw new AppError(RunErrors.RUN_NOT_FOUND, 'Run not found');
      const order = await loadStepOrder(run);
      let state: RunSnapshotEvent | null = null;
      let isReading = false;
      let isStale = false;

      const stream = openEventStream(reply, { heartbeatMs: deps.heartbeatMs, onHeartbeat: () => void refresh() });
      deps.streams.track(stream);

      /** Reads the run again and sends what changed; notifications that arrive meanwhile lead to one more read. */
      async function refresh(): Promise<void> {
        if (state === null || isReading) {
          isStale = true;
          return;
        }
        isReading = true;
        try {
          do {
            isStale = false;
            const progress = await readRunProgress(deps.database.db, workspace.id, runId);
            if (!progress || stream.isClosed) return stream.close();
            const next = describeRunSnapshot(order, progress);
            for (const { event, data } of describeProgressEvents(state, next)) sendRunEvent(stream, event, data);
            state = next;
            if (isRunEnded(next.run.status)) return stream.close();
          } while (isStale);
        } catch (error) {
          deps.logger.warn({ err: error, runId }, 'could not read a watched run');
        } finally {
          isReading = false;
        }
      }

      try {
        const unsubscribe = await deps.hub.subscribe(runId, () => void refresh());
        stream.onClose(unsubscribe);
        await markRunWatched(deps.database.db, workspace.id, runId);
        const progress = await readRunProgress(deps.database.db, workspace.id, runId);
        if (!progress) return stream.close();
        state = describeRunSnapshot(order, progress);
        sendRunEvent(stream, 'snapshot', state);
        if (isRunEnded(state.run.status)) {
          sendRunEvent(stream, 'run.status', { runId, status: state.run.status, finishedAt: state.run.finishedAt });
          return stream.close();
        }
        if (isStale) await refresh();
      } catch (error) {
        deps.logger.warn({ err: error, runId }, 'could not open a run event stream');
        stream.close();
      }
    },

    /** The workspace's runs: `run.created` and `run.status`, for the runs list. */
    async streamWorkspaceRunEvents(workspace: WorkspaceRef, reply: FastifyReply): Promise<void> {
      const stream = openEventStream(reply, { heartbeatMs: deps.heartbeatMs });
      deps.streams.track(stream);
      try {
        const unsubscribe = await deps.feed.subscribe(workspace.id, (event, data) => stream.send(event, WorkspaceRunEvent.parse(data)));
        stream.onClose(unsubscribe);
      } catch (error) {
        deps.logger.warn({ err: error, workspaceId: workspace.id }, 'could not open a workspace run event stream');
        stream.close();
      }
    },
  };
}

export type RunEventStreams = ReturnType<typeof createRunEventStreams>;
