import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@weft/db';
import { createHttpApp } from '@weft/http';
import { systemClock } from '@weft/kernel';
import { createRunsModule } from '@weft/runs';
import { countEffects } from './test-fixtures/counted-nodes';
import { buildTestNode, createRunsHarness, linkTestNodes, silentLogger, testRegistry, waitFor, type RunsHarness } from './test-fixtures/runs-harness';

/**
 * Durable waits: a run parks as `waiting` (no worker holds it), survives a
 * restart of everything in memory, and goes on when its callback arrives or
 * its time comes — without running its finished steps again.
 */
let h: RunsHarness;
beforeAll(async () => {
  h = await createRunsHarness({ leaseMs: 2000 });
});
afterAll(async () => {
  await h.close();
});

function approvalGraph(timeoutSeconds = 3600) {
  return {
    nodes: [
      buildTestNode('start', 'trigger.manual'),
      buildTestNode('before', 'test.counted', { holdMs: 0, shouldFail: false }),
      buildTestNode('approval', 'wait.webhook', { timeoutSeconds, onTimeout: 'fail' }),
      buildTestNode('decide', 'transform', { mapping: { approved: 'approved', by: 'by' } }),
    ],
    edges: [linkTestNodes('start', 'before'), linkTestNodes('before', 'approval'), linkTestNodes('approval', 'decide')],
  };
}

async function readRun(runId: string) {
  return h.runs.api.getRun(h.alpha, runId);
}

describe('runs that wait', () => {
  it('a run waiting for a webhook survives a restart and resumes when the callback arrives', async () => {
    const { workflowId } = await h.publishWorkflow(approvalGraph());
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, { order: 7 }, undefined);
    expect(await h.runs.createRunner({ workerId: 'first' }).runOnce()).toBe(1);
    const waiting = await waitFor(async () => {
      const found = await readRun(runId);
      return found.run.status === 'waiting' ? found : undefined;
    });
    expect(waiting.run).toMatchObject({ leaseOwner: null, finishedAt: null });
    const wait = waiting.steps.find((step) => step.nodeId === 'approval')!;
    expect(wait.status).toBe('waiting');
    const callbackUrl = (wait.output as { callbackUrl: string }).callbackUrl;
    expect(callbackUrl).toMatch(/^\/hooks\/resume\/[\w-]{40,}$/);

    // "Restart": a new runs module, app and runner on the same database; nothing in memory is carried over.
    const restarted = createRunsModule({
      database: h.database,
      clock: systemClock,
      logger: silentLogger,
      registry: testRegistry,
      catalog: h.workflows.api.catalog,
      requireWorkspaceAccess: async () => ({ workspace: h.alpha, role: 'owner' }),
      audit: { recordAudit: async () => undefined },
      servicesForWorkspace: () => ({ effects: h.effects }),
    });
    const app = await createHttpApp({ logger: silentLogger, bodyLimitBytes: 65_536, rateLimitPerMinute: 1_000_000 });
    restarted.registerHookRoutes(app, { rateLimit: false });
    await app.ready();
    try {
      const callback = await app.inject({ method: 'POST', url: callbackUrl, payload: { approved: true, by: 'grace' } });
      expect([callback.statusCode, callback.json()]).toEqual([202, { runId, status: 'resumed' }]);
      expect(await restarted.createRunner({ workerId: 'second' }).runOnce()).toBe(1);
      const done = await waitFor(async () => {
        const found = await readRun(runId);
        return found.run.status === 'succeeded' ? found : undefined;
      });
      expect(done.steps.find((step) => step.nodeId === 'decide')!.output).toEqual({ approved: true, by: 'grace' });
      expect(await countEffects(h.database.db, runId), 'the step before the wait ran once').toEqual({ 'before:start': 1, 'before:done': 1 });

      const again = await app.inject({ method: 'POST', url: callbackUrl, payload: { approved: false } });
      expect([again.statusCode, again.json().error.code]).toEqual([404, 'RUN_CALLBACK_NOT_FOUND']);
      const unknown = await app.inject({ method: 'POST', url: '/hooks/resume/not-a-real-token-not-a-real-token-0000', payload: {} });
      expect(unknown.statusCode).toBe(404);
    } finally {
      await app.close();
      await restarted.stop();
    }
  });

  it('a wait.until run is parked and resumed by time', async () => {
    const until = new Date(Date.now() + 1500).toISOString();
    const { workflowId } = await h.publishWorkflow({
      nodes: [buildTestNode('start', 'trigger.manual'), buildTestNode('later', 'wait.until', { until }), buildTestNode('after', 'transform', { mapping: { done: 'true' } })],
      edges: [linkTestNodes('start', 'later'), linkTestNodes('later', 'after')],
    });
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    const runner = h.runs.createRunner({ workerId: 'timer' });
    expect(await runner.runOnce()).toBe(1);
    await waitFor(async () => ((await readRun(runId)).run.status === 'waiting' ? true : undefined));
    expect(await runner.runOnce(), 'not due yet').toBe(0);
    await waitFor(async () => ((await runner.runOnce()) > 0 ? true : undefined), 10_000, 'the wait to end');
    const done = await waitFor(async () => {
      const found = await readRun(runId);
      return found.run.status === 'succeeded' ? found : undefined;
    });
    expect(done.steps.find((step) => step.nodeId === 'after')!.output).toEqual({ done: true });
  });

  it('cancelling a waiting run ends it, and its callback no longer resumes it', async () => {
    const { workflowId } = await h.publishWorkflow(approvalGraph());
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    await h.runs.createRunner({ workerId: 'cancel' }).runOnce();
    const waiting = await waitFor(async () => {
      const found = await readRun(runId);
      return found.run.status === 'waiting' ? found : undefined;
    });
    const callbackUrl = (waiting.steps.find((step) => step.nodeId === 'approval')!.output as { callbackUrl: string }).callbackUrl;
    const cancelled = await h.runs.api.cancelRun(h.alpha, h.actor, runId);
    expect(cancelled.status).toBe('cancelled');
    const late = await h.app.inject({ method: 'POST', url: callbackUrl, payload: {} });
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'RUN_NOT_WAITING']);
  });

  it('steps that share their times (fast steps, millisecond clock) are listed in the order of the graph', async () => {
    const { workflowId } = await h.publishWorkflow(approvalGraph());
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    await h.runs.createRunner({ workerId: 'ties' }).runOnce();
    await waitFor(async () => ((await readRun(runId)).run.status === 'waiting' ? true : undefined));
    await h.runs.api.cancelRun(h.alpha, h.actor, runId);
    // A replay's copied steps are rows of run_steps, written in one statement in no set order.
    const replay = await h.runs.api.replayRun(h.alpha, h.actor, runId, 'decide');
    const stepRows = sql`UPDATE run_steps SET started_at = '2026-01-01T00:00:00Z', finished_at = '2026-01-01T00:00:00Z' WHERE run_id = ${replay.runId} RETURNING node_id`;
    expect(await queryRows(h.database.db, stepRows)).toHaveLength(2);
    // Rewritten last, the trigger's row comes last in the table too: the database alone would list it last.
    await h.database.db.execute(sql`UPDATE run_steps SET attempts = attempts WHERE run_id = ${replay.runId} AND node_id = 'start'`);
    expect((await readRun(replay.runId)).steps.map((step) => step.nodeId)).toEqual(['start', 'before']);
  });

  it('a waiting run cannot be retried or replayed; replayed after it was cancelled, its wait runs again and can be resumed', async () => {
    const { workflowId } = await h.publishWorkflow(approvalGraph());
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, { order: 9 }, undefined);
    await h.runs.createRunner({ workerId: 'replay' }).runOnce();
    await waitFor(async () => ((await readRun(runId)).run.status === 'waiting' ? true : undefined));
    await expect(h.runs.api.retryRun(h.alpha, h.actor, runId)).rejects.toMatchObject({ code: 'RUN_NOT_FINISHED' });
    await expect(h.runs.api.replayRun(h.alpha, h.actor, runId, 'decide')).rejects.toMatchObject({ code: 'RUN_NOT_FINISHED' });

    await h.runs.api.cancelRun(h.alpha, h.actor, runId);
    const replay = await h.runs.api.replayRun(h.alpha, h.actor, runId, 'decide');
    const copied = (await readRun(replay.runId)).steps.map((step) => [step.nodeId, step.status]);
    // The wait never finished in the cancelled run: it is not copied as if it had.
    expect(copied).toEqual([
      ['start', 'succeeded'],
      ['before', 'succeeded'],
    ]);
    await h.runs.createRunner({ workerId: 'replay-2' }).runOnce();
    const waiting = await waitFor(async () => {
      const found = await readRun(replay.runId);
      return found.run.status === 'waiting' ? found : undefined;
    });
    const callbackUrl = (waiting.steps.find((step) => step.nodeId === 'approval')!.output as { callbackUrl: string }).callbackUrl;
    const callback = await h.app.inject({ method: 'POST', url: callbackUrl, payload: { approved: true, by: 'ada' } });
    expect(callback.statusCode).toBe(202);
    await h.runs.createRunner({ workerId: 'replay-3' }).runOnce();
    const done = await waitFor(async () => {
      const found = await readRun(replay.runId);
      return found.run.status === 'succeeded' ? found : undefined;
    });
    expect(done.steps.find((step) => step.nodeId === 'decide')!.output).toEqual({ approved: true, by: 'ada' });
    expect(await countEffects(h.database.db, replay.runId), 'the copied step did not run again').toEqual({});
  });

  it('a waiting run whose callback never comes fails at its timeout', async () => {
    const { workflowId } = await h.publishWorkflow(approvalGraph(1));
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    const runner = h.runs.createRunner({ workerId: 'timeout' });
    await runner.runOnce();
    await waitFor(async () => ((await readRun(runId)).run.status === 'waiting' ? true : undefined));
    await waitFor(async () => ((await runner.runOnce()) > 0 ? true : undefined), 10_000, 'the timeout');
    const failed = await waitFor(async () => {
      const found = await readRun(runId);
      return found.run.status === 'failed' ? found : undefined;
    });
    expect(failed.run.error).toMatchObject({ nodeId: 'approval', code: 'ENGINE_WAIT_TIMED_OUT' });
  });
});
