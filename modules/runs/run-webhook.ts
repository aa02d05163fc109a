import type { Database } from '@weft/db';
import { executeRun, type CompiledWorkflow, type LoadCredentials, type NodeServices, type RunOutcome, type RunStore, type StepRecord } from '@weft/engine';
import { AppError, newId, type Logger } from '@weft/kernel';
import type { WebhookTriggerEntry } from '@weft/workflows';
import type { CompiledWorkflowCache } from './compiled-workflow-cache';
import { describeEnding, type RunHost } from './run-host';
import { admitRunningRun } from './run-queue.repository';
import type { RunRecorder, RunRecord } from './run-recorder';
import { RunErrors } from './runs.errors';

/** What the HTTP layer sends back. */
export interface WebhookReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Set instead of `body` when Weft itself answers with an error (sent in the API's error shape). */
  error?: { code: string; message: string; details?: unknown };
}

/** The trigger node's input: what the request carried, minus credentials. */
export interface WebhookPayload {
  body: unknown;
  query: unknown;
  headers: Record<string, string | string[] | undefined>;
  method: string;
}

export interface WebhookRunsOptions {
  database: Database;
  logger: Logger;
  graphs: CompiledWorkflowCache;
  recorder: RunRecorder;
  /** Executes sync runs of workflows with a concurrency limit, which must be counted in the database. */
  host: RunHost;
  leaseMs: number;
  services?: NodeServices;
  credentials?: LoadCredentials;
  maxOutputBytes?: number;
}

/**
 * An in-memory sync run is never resumed (its caller is waiting on the
 * socket), so it needs no checkpoints: the outcome carries every step for
 * the group commit. One shared store, no allocation per request.
 */
const NO_STEPS: StepRecord[] = [];
const NO_RESUME_STORE: RunStore = {
  loadFinishedSteps: () => Promise.resolve(NO_STEPS),
  saveStep: () => Promise.resolve(),
};

/** Headers a reply node may not set: framing belongs to the HTTP server. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer']);

/**
 * Starts the run of a webhook request. Sync runs of workflows without a
 * concurrency limit run in memory: with saving policy 'none' nothing is
 * written, with 'failed' only a run that did not succeed is, and with 'all'
 * the run and its steps go through group commit before the reply. Async
 * requests are queued through the same group commit and answered 202.
 */
export function createWebhookRuns(options: WebhookRunsOptions) {
  const { logger, recorder } = options;

  function describeRun(entry: WebhookTriggerEntry, runId: string, input: WebhookPayload, createdAt: Date): Omit<RunRecord, 'status' | 'steps'> {
    return {
      id: runId,
      workspaceId: entry.workspaceId,
      workflowId: entry.workflowId,
      versionId: entry.versionId,
      versionNumber: entry.version,
      triggerKind: 'webhook',
      input,
      concurrencyLimit: entry.concurrencyLimit,
      timeoutMs: entry.timeoutMs,
      createdAt,
    };
  }

  function runInMemory(entry: WebhookTriggerEntry, compiled: CompiledWorkflow, payload: WebhookPayload): Promise<WebhookReply> {
    const runId = newId();
    const createdAt = new Date();
    const isSavingAll = entry.savingPolicy === 'all';
    return new Promise<WebhookReply>((resolve, reject) => {
      let hasReplied = false;
      const reply = (answer: WebhookReply): void => {
        if (hasReplied) return;
        hasReplied = true;
        resolve(answer);
      };
      executeRun(compiled, {
        runId,
        triggerOutput: payload,
        store: NO_RESUME_STORE,
        logger,
        deadline: createdAt.getTime() + entry.timeoutMs,
        // Nothing is stored with 'none': skip measuring outputs.
        maxOutputBytes: entry.savingPolicy === 'none' ? Number.POSITIVE_INFINITY : (options.maxOutputBytes ?? 1_048_576),
        // Unless every run is saved (and the reply waits for that), answer as soon as a respond node has.
        ...(isSavingAll ? {} : { onResponse: (response: unknown) => reply(toReply(response)) }),
        ...(options.services ? { services: options.services } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
      })
        .then(async (outcome) => {
          if (isSavingAll || (entry.savingPolicy === 'failed' && outcome.status !== 'succeeded')) {
            const ending = describeEnding(runId, outcome);
            await recorder.record({
              ...describeRun(entry, runId, payload, createdAt),
              status: ending.status,
              response: ending.response,
              error: ending.error,
              startedAt: createdAt,
              finishedAt: new Date(),
              steps: outcome.steps,
            });
          }
          reply(replyToOutcome(outcome, runId));
        })
        .catch((error: unknown) => {
          if (hasReplied) logger.error({ err: error, runId }, 'could not save a webhook run after replying');
          else reject(error);
        });
    });
  }

  async function runAdmitted(entry: WebhookTriggerEntry, payload: WebhookPayload): Promise<WebhookReply> {
    const runId = newId();
    const row = { ...describeRun(entry, runId, payload, new Date()), status: 'running' as const };
    const admitted = await options.database.transaction((tx) => admitRunningRun(tx, row, options.host.workerId, options.leaseMs));
    if (!admitted) {
      throw new AppError(RunErrors.RUN_CONCURRENCY_LIMITED, 'This workflow is running at its concurrency limit; try again shortly', {
        limit: entry.concurrencyLimit,
      });
    }
    const outcome = await options.host.execute(admitted);
    if (outcome === null) {
      // Handed back (shutdown) or lost: a runner resumes it, but this request cannot wait for that.
      return { status: 503, error: { code: 'SERVICE_UNAVAILABLE', message: 'The run was interrupted and will resume', details: { runId } } };
    }
    return replyToOutcome(outcome, runId);
  }

  return {
    async startWebhookRun(entry: WebhookTriggerEntry, payload: WebhookPayload): Promise<WebhookReply> {
      if (entry.mode === 'async') {
        const runId = newId();
        await recorder.record({ ...describeRun(entry, runId, payload, new Date()), status: 'queued', steps: [] });
        return { status: 202, body: { runId } };
      }
      if (entry.concurrencyLimit !== null) return runAdmitted(entry, payload);
      const compiled = options.graphs.peek(entry.versionId) ?? (await options.graphs.load(entry.versionId));
      return runInMemory(entry, compiled, payload);
    },
  };
}

export type WebhookRuns = ReturnType<typeof createWebhookRuns>;

function replyToOutcome(outcome: RunOutcome, runId: string): WebhookReply {
  if (outcome.status === 'succeeded') {
    return outcome.response === undefined ? { status: 200, body: { runId, status: 'succeeded' } } : toReply(outcome.response);
  }
  // The caller learns that it failed and which run to look at, never the internals (messages can quote data or secrets).
  if (outcome.status === 'timed_out') {
    return { status: 504, error: { code: RunErrors.RUN_TIMED_OUT, message: 'The workflow took too long', details: { runId } } };
  }
  return { status: 500, error: { code: RunErrors.RUN_FAILED, message: `The workflow ended as ${outcome.status}`, details: { runId } } };
}

/** A respond node's output `{ status, body, headers }` as an HTTP reply; anything else is sent as a 200 JSON body. */
export function toReply(response: unknown): WebhookReply {
  if (typeof response !== 'object' || response === null || !('status' in response)) return { status: 200, body: response };
  const { status, body, headers } = response as { status?: unknown; body?: unknown; headers?: unknown };
  const reply: WebhookReply = { status: typeof status === 'number' && status >= 100 && status <= 599 ? status : 200, body };
  if (typeof headers === 'object' && headers !== null) {
    const safe: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value === 'string' && !FRAMING_HEADERS.has(name.toLowerCase())) safe[name] = value;
    }
    reply.headers = safe;
  }
  return reply;
}
