import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { openJournal, type Database, type Tx } from '@weft/db';
import type { NodeRegistry, NodeServices, RunOutcome } from '@weft/engine';
import { newId, type Clock, type DataRights, type Logger, type PeriodicJob } from '@weft/kernel';
import type { AuditEntry, RequireWorkspaceAccess, WorkflowCatalog } from '@weft/workflows';
import { createCompiledWorkflowCache } from './compiled-workflow-cache';
import { registerHookRoutes } from './hooks.routes';
import { createWebhookLane } from './webhook-lane';
import { createWebhookRequests, type HookRoutesOptions } from './webhook-requests';
import { createRunHost } from './run-host';
import { createRunRecorder } from './run-recorder';
import { createWebhookRuns } from './run-webhook';
import { createRunner, type Runner, type RunnerOptions } from './runner';
import { createRunsRoutes } from './runs.routes';
import { createNodeTestRoutes } from './node-test.routes';
import { createRunsService } from './runs.service';
import { runsInventories } from './runs.tables';
import { createWebhookDirectory } from './webhook-directory';
import { resumeRunFromCallback, suspendRun } from './run-waits.repository';
import { createTriggeredRuns } from './triggered-runs';
import { createWorkspaceServices, type LoadCredential } from './workspace-services';
import { createWorkflowCalls } from './workflow-calls';
import { acceptedContentOf, createWebhookSecrets } from './webhook-secrets';
import { createDraftRuns, type CheckCredentials, type FindDraft } from './draft-runs';
import { createEventStreamRegistry } from './event-stream';
import { createRunEventStreams } from './run-event-streams';
import { createRunEventsRoutes } from './run-events.routes';
import { createRunProgressHub } from './run-progress-hub';
import { createWorkspaceRunFeed } from './workspace-run-feed';

export { createRunner, type Runner, type RunnerOptions } from './runner';
export { createCompiledWorkflowCache, type CompiledWorkflowCache } from './compiled-workflow-cache';
export { RunErrors } from './runs.errors';
export { RUN_CANCEL_CHANNEL, RUN_PROGRESS_CHANNEL, RUNS_CHANNEL } from './runs.events';
export type { CheckCredentials, FindDraft } from './draft-runs';
export { RUN_STATUSES, type RunStatus } from './runs.tables';
export type { HookRoutesOptions } from './webhook-requests';
export type { RunNowRequest, RunNowResult, TriggeredRunRequest } from './triggered-runs';
export type { TriggerKind } from './runs.tables';

export interface RunsModuleDeps {
  database: Database;
  clock: Clock;
  logger: Logger;
  /** The node types runs execute with; the same registry the workflows module validates with. */
  registry: NodeRegistry;
  /** `workflows.api.catalog`. */
  catalog: WorkflowCatalog;
  requireWorkspaceAccess: RequireWorkspaceAccess;
  audit: { recordAudit(entry: AuditEntry, tx: Tx): Promise<void> };
  /** What nodes of a run in this workspace may use (HTTP, mail, the workspace's code isolate). */
  servicesForWorkspace?: (workspaceId: string) => NodeServices;
  /** `credentials.api.loadCredentialForRun`: reads a credential inside one workspace only (runs and webhook auth). */
  loadCredential?: LoadCredential;
  /** Base of callback addresses shown to users (e.g. https://weft.example.com); relative without it. */
  publicUrl?: string;
  /** Stored step outputs above this many bytes become a truncation marker (default 1 MB). */
  maxOutputBytes?: number;
  /** Lease of runs this process executes (default 30 s). */
  leaseMs?: number;
  /** Group commit of webhook runs (defaults: 5 ms, 200 runs). */
  groupCommit?: { maxDelayMs?: number; maxBatch?: number };
  /**
   * Embedded database only (ignored on PostgreSQL): folder of the journal that acknowledges
   * webhook runs before their commit (see run-recorder.ts). Without it replies wait for the commit.
   */
  runJournalDir?: string;
  /** `workflows.api.getWorkflow`: the saved draft and its problems. Without it there are no draft runs (no route). */
  findDraft?: FindDraft;
  /** `credentials.api.checkCredentialReferences`: draft runs check credentials as publishing does. */
  checkCredentials?: CheckCredentials;
  /** Run event streams: heartbeat comment interval (default 15 s) and workspace feed poll (default 2 s). */
  eventStreams?: { heartbeatMs?: number; workspacePollMs?: number };
}

/**
 * Runs: the queue on the `runs` table, checkpointed execution, webhooks,
 * the run API and retention. `start()` before serving webhooks (it listens
 * for changes made by other processes), `stop()` after the HTTP server.
 */
export function createRunsModule(deps: RunsModuleDeps) {
  const leaseMs = deps.leaseMs ?? 30_000;
  const graphs = createCompiledWorkflowCache({ registry: deps.registry, findRunnableVersion: deps.catalog.findRunnableVersion });
  const journal = deps.runJournalDir !== undefined && deps.database.kind === 'pglite' ? openJournal({ dir: deps.runJournalDir }) : undefined;
  const recorder = createRunRecorder({ database: deps.database, logger: deps.logger, ...(journal ? { journal } : {}), ...deps.groupCommit });
  const directory = createWebhookDirectory({
    database: deps.database,
    logger: deps.logger,
    catalog: deps.catalog,
    onOtherProcessChange: () => triggered.forgetRunSettings(),
  });
  // Calls need runs, which need services: bound late, used only while runs execute.
  const late: { calls?: ReturnType<typeof createWorkflowCalls> } = {};
  const runners: Runner[] = [];
  const servicesFor = createWorkspaceServices({ ...deps, workflowCallsFor: (workspaceId) => late.calls!.forWorkspace(workspaceId) });
  const callbackUrlOf = (token: string) => `${deps.publicUrl ?? ''}/hooks/resume/${token}`;
  const webhookSecrets = createWebhookSecrets(deps.loadCredential);
  const optional = {
    servicesFor,
    suspend: (owner: string, runId: string, workspaceId: string, outcome: RunOutcome) => suspendRun(deps.database, owner, runId, workspaceId, outcome, callbackUrlOf),
    ...(deps.maxOutputBytes === undefined ? {} : { maxOutputBytes: deps.maxOutputBytes }),
    ...(deps.publicUrl === undefined ? {} : { publicUrl: deps.publicUrl }),
  };
  const host = createRunHost({ database: deps.database, logger: deps.logger, graphs, workerId: `${hostname()}:${process.pid}:hooks:${newId().slice(-6)}`, leaseMs, ...optional });
  const webhookRuns = createWebhookRuns({
    database: deps.database,
    logger: deps.logger,
    graphs,
    recorder,
    host,
    leaseMs,
    // A runner that is not running (never started, or stopping) has no slot to give.
    reserveRunnerSlot: () => {
      for (const runner of runners) {
        const slot = runner.reserveSlot();
        if (slot) return slot;
      }
      return null;
    },
    ...optional,
  });
  const runs = createRunsService({ database: deps.database, clock: deps.clock, catalog: deps.catalog, graphs, audit: deps.audit, settle: recorder.settle });
  const triggered = createTriggeredRuns({ runs, runNow: webhookRuns.runNow, onWorkflowsChanged: deps.catalog.onWorkflowsChanged });
  late.calls = createWorkflowCalls({ runs, graphs, runWorkflowNow: triggered.runWorkflowNow });
  const draftRuns = deps.findDraft
    ? createDraftRuns({ database: deps.database, clock: deps.clock, catalog: deps.catalog, graphs, findDraft: deps.findDraft, audit: deps.audit, ...(deps.checkCredentials ? { checkCredentials: deps.checkCredentials } : {}) })
    : undefined;
  const progressHub = createRunProgressHub({ database: deps.database, logger: deps.logger });
  const workspaceFeed = createWorkspaceRunFeed({ database: deps.database, logger: deps.logger, ...(deps.eventStreams?.workspacePollMs ? { pollMs: deps.eventStreams.workspacePollMs } : {}) });
  const openStreams = createEventStreamRegistry();
  const eventStreams = createRunEventStreams({
    database: deps.database,
    logger: deps.logger,
    graphs,
    hub: progressHub,
    feed: workspaceFeed,
    streams: openStreams,
    heartbeatMs: deps.eventStreams?.heartbeatMs ?? 15_000,
    settle: recorder.settle,
  });

  const purgeJob: PeriodicJob = {
    name: 'runs.purge-expired',
    intervalMs: 3_600_000,
    async run({ logger }) {
      const removed = await runs.purgeExpiredRuns();
      if (removed > 0) logger.info({ removed }, 'purged expired runs');
    },
  };
  // Runs belong to workspaces, not to people: no column names a user, so there is nothing to export or erase per
  // person. Their payloads (end users' data) go with the workspace's retention.
  const dataRights: DataRights = { module: 'runs', exportSubject: async () => ({}), eraseSubject: async () => undefined };

  return {
    routes: [
      ...createRunsRoutes(runs, deps.requireWorkspaceAccess, draftRuns),
      ...createRunEventsRoutes(eventStreams, deps.requireWorkspaceAccess),
      ...createNodeTestRoutes({ registry: deps.registry, catalog: deps.catalog, servicesFor, requireWorkspaceAccess: deps.requireWorkspaceAccess, logger: deps.logger }),
    ],
    /**
     * `/hooks/:workspaceSlug/*` and `/hooks/t/:triggerId`, registered on the app directly (hot path).
     * Also ends the open run event streams when the app closes: an open response would keep it from closing.
     */
    registerHookRoutes(app: FastifyInstance, options?: HookRoutesOptions): void {
      app.addHook('preClose', (done) => {
        openStreams.closeAll();
        done();
      });
      const requests = createWebhookRequests(
        {
          directory,
          runs: webhookRuns,
          acceptedContent: (entry) => acceptedContentOf(graphs, entry.versionId),
          loadSecret: (entry) => webhookSecrets.forWorkspace(entry.workspaceId),
          resumeFromCallback: (token, payload) => resumeRunFromCallback(deps.database, token, payload),
        },
        options,
      );
      registerHookRoutes(app, requests);
      // Real sockets skip Fastify's pipeline on this hot path; app.inject() keeps using the routes above.
      app.fastLanes.add(createWebhookLane(requests, app.initialConfig.bodyLimit ?? 1_048_576));
    },
    /** A queue runner sharing this module's compiled graphs; start it in the worker. */
    createRunner(options: Partial<Omit<RunnerOptions, 'registry' | 'catalog' | 'graphs'>> = {}) {
      const runner = createRunner({ database: deps.database, logger: deps.logger, registry: deps.registry, catalog: deps.catalog, graphs, leaseMs, ...optional, ...options });
      // The process's runners also take async webhook runs straight from the webhook path, while they have room.
      runners.push(runner);
      return runner;
    },
    api: {
      startTriggeredRun: triggered.startTriggeredRun,
      runWorkflowNow: triggered.runWorkflowNow,
      startManualRun: runs.startManualRun,
      ...(draftRuns ? { startDraftRun: draftRuns.startDraftRun } : {}),
      getRun: runs.getRun,
      listRuns: runs.listRuns,
      cancelRun: runs.cancelRun,
      retryRun: runs.retryRun,
      replayRun: runs.replayRun,
      purgeExpiredRuns: runs.purgeExpiredRuns,
    },
    jobs: [purgeJob],
    inventories: runsInventories,
    dataRights,
    /** Open event streams and subscriptions (tests check that closed connections leave none behind). */
    eventStreamStats: () => ({ streams: openStreams.size, runSubscriptions: progressHub.subscriberCount, watchedWorkspaces: workspaceFeed.watchedCount }),
    /** Stores what a crashed process left in the run journal, then listens for other processes' changes. */
    async start(): Promise<void> {
      const recovered = await recorder.recoverJournal();
      if (recovered > 0) deps.logger.warn({ runs: recovered }, 'stored webhook runs left in the run journal');
      await directory.start();
    },
    /** Lets webhook runs in flight end and their records commit. */
    async stop(): Promise<void> {
      openStreams.closeAll();
      workspaceFeed.stop();
      await progressHub.stop();
      await directory.stop();
      await host.stop();
      await recorder.drain();
      recorder.close();
    },
  };
}

export type RunsModule = ReturnType<typeof createRunsModule>;
