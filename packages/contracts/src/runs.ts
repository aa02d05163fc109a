import { z } from 'zod';
import { IsoDate, Page, PageQuery, WorkspaceParams } from './common';

// Runs: the request and response shapes of `modules/runs` routes, and the
// events of the run streams. The server parses replies through them (unknown
// keys are stripped); the web app uses their output types.

export const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'timed_out'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

/** How a run was started. */
export const TRIGGER_KINDS = ['manual', 'webhook', 'retry', 'replay', 'schedule', 'event', 'discord', 'subworkflow'] as const;
export const TriggerKind = z.enum(TRIGGER_KINDS);
export type TriggerKind = z.infer<typeof TriggerKind>;

/** A stored step: `waiting` while the run waits at it. */
export const STEP_STATUSES = ['succeeded', 'failed', 'skipped', 'waiting'] as const;

export const RunParams = WorkspaceParams.extend({ id: z.uuid() });

export const RunListQuery = PageQuery.extend({
  status: RunStatus.optional(),
  workflowId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type RunListQuery = z.input<typeof RunListQuery>;

export const RunSummary = z.object({
  id: z.string(),
  workspaceId: z.string(),
  workflowId: z.string(),
  /** Null for a draft run: it ran the saved draft, not a published version. */
  versionId: z.string().nullable(),
  versionNumber: z.number().nullable(),
  isDraft: z.boolean(),
  status: RunStatus,
  triggerKind: z.string(),
  sourceRunId: z.string().nullable(),
  error: z.unknown(),
  attempt: z.number(),
  createdAt: IsoDate,
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
  cancelRequestedAt: IsoDate.nullable(),
});
export type RunSummary = z.output<typeof RunSummary>;

export const RunStepView = z.object({
  nodeId: z.string(),
  status: z.string(),
  port: z.string().nullable(),
  output: z.unknown(),
  outputTruncated: z.boolean(),
  error: z.unknown(),
  attempts: z.number(),
  startedAt: IsoDate,
  finishedAt: IsoDate,
});
export type RunStepView = z.output<typeof RunStepView>;

export const RunView = RunSummary.extend({
  input: z.unknown(),
  response: z.unknown(),
  /** A draft run's graph as it was when the run started; null for a published version (read it from the version). */
  draftGraph: z.unknown(),
  steps: z.array(RunStepView),
});
export type RunView = z.output<typeof RunView>;

export const RunPage = Page(RunSummary);
export type RunPage = Page<RunSummary>;

export const StartedRun = z.object({ runId: z.string() });
export type StartedRun = z.output<typeof StartedRun>;

export const RunRetentionPolicy = z.strictObject({ maxAgeDays: z.number().int().min(1).max(3650), maxRuns: z.number().int().min(1).max(10_000_000) });
export type RunRetentionPolicy = z.output<typeof RunRetentionPolicy>;

export const RunReplayBody = z.strictObject({ fromNodeId: z.string().min(1).max(64) });

/** A key the client picks so that repeating the request (a timeout, a retry) cannot start a second run. */
export const IdempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/**
 * Runs the saved draft without publishing it. `input` is what a caller would
 * send (a webhook trigger receives it as the request body); `trigger` is the
 * trigger's exact payload instead (e.g. pinned trigger data) and wins.
 */
export const DraftRunBody = z
  .strictObject({
    input: z.unknown().optional().describe('What the trigger receives; for a webhook trigger, the request body (default {})'),
    trigger: z.unknown().optional().describe("The trigger's payload exactly as given (pinned trigger data); overrides input"),
  })
  .default({});
export type DraftRunBody = z.input<typeof DraftRunBody>;

// --- Run events (text/event-stream) -----------------------------------------

/** What a step is doing as the stream sees it: `running` is the step in flight. */
export const STREAM_STEP_STATUSES = ['running', ...STEP_STATUSES] as const;
export const StreamStepStatus = z.enum(STREAM_STEP_STATUSES);
export type StreamStepStatus = z.infer<typeof StreamStepStatus>;

export const RunStepState = z.object({
  nodeId: z.string(),
  status: StreamStepStatus,
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type RunStepState = z.infer<typeof RunStepState>;

export const RunState = z.object({
  id: z.string(),
  workflowId: z.string(),
  status: RunStatus,
  isDraft: z.boolean(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type RunState = z.infer<typeof RunState>;

/** Event names of `GET …/runs/:runId/events`; each event's data is JSON. */
export const RUN_EVENT_NAMES = ['snapshot', 'step.started', 'step.finished', 'step.failed', 'run.status'] as const;
export type RunEventName = (typeof RUN_EVENT_NAMES)[number];

/** First event of every connection (and of every reconnection): the run and each step so far. */
export const RunSnapshotEvent = z.object({ run: RunState, steps: z.array(RunStepState) });
export type RunSnapshotEvent = z.infer<typeof RunSnapshotEvent>;

/** `step.started`, `step.finished` (succeeded, skipped or waiting) and `step.failed`. */
export const RunStepEvent = RunStepState.extend({ runId: z.string() });
export type RunStepEvent = z.infer<typeof RunStepEvent>;

/** The run's status changed; the last event of a stream is the final status. */
export const RunStatusEvent = z.object({ runId: z.string(), status: RunStatus, finishedAt: z.string().nullable() });
export type RunStatusEvent = z.infer<typeof RunStatusEvent>;

/** Event names of `GET …/runs/events` (the workspace's runs, for the runs list). */
export const WORKSPACE_RUN_EVENT_NAMES = ['run.created', 'run.status'] as const;
export type WorkspaceRunEventName = (typeof WORKSPACE_RUN_EVENT_NAMES)[number];

export const WorkspaceRunEvent = z.object({
  runId: z.string(),
  workflowId: z.string(),
  status: RunStatus,
  isDraft: z.boolean(),
});
export type WorkspaceRunEvent = z.infer<typeof WorkspaceRunEvent>;
