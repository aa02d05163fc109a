import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '@weft/db';
import { countEffects, createStepEffects, listEffects } from './test-fixtures/counted-nodes';
import { buildCountedChain, buildTestNode, createRunsHarness, linkTestNodes, waitFor, type RunsHarness } from './test-fixtures/runs-harness';
import { createSeverableDatabase } from './test-fixtures/severable-database';

let h: RunsHarness;
beforeAll(async () => {
  h = await createRunsHarness();
});
afterAll(async () => {
  await h.close();
});

interface RunState {
  status: string;
  attempt: number;
  lease_owner: string | null;
  error: { nodeId?: string; message?: string; stack?: string } | null;
}

async function readRun(runId: string, database: Database = h.database): Promise<RunState> {
  const rows = await queryRows<RunState>(database.db, sql`SELECT status, attempt, lease_owner, error FROM runs WHERE id = ${runId}`);
  return rows[0]!;
}

async function readSteps(runId: string): Promise<string[]> {
  const rows = await queryRows<{ node_id: string; status: string }>(h.database.db, sql`SELECT node_id, status FROM run_steps WHERE run_id = ${runId} ORDER BY started_at, node_id`);
  return rows.map((row) => `${row.node_id}:${row.status}`);
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('the run queue', () => {
  it('runs a queued run to the end, checkpointing every step', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['c1', 'c2']));
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, { hello: 'world' }, undefined);
    expect((await readRun(runId)).status).toBe('queued');
    const runner = h.runs.createRunner({ workerId: 'solo' });
    expect(await runner.runOnce()).toBe(1);
    expect(await readRun(runId)).toMatchObject({ status: 'succeeded', attempt: 1, lease_owner: null });
    expect((await readSteps(runId)).sort()).toEqual(['c1:succeeded', 'c2:succeeded', 'reply:succeeded', 'start:succeeded']);
    const { run } = await h.runs.api.getRun(h.alpha, runId);
    expect(run.response).toEqual({ status: 200, headers: {}, body: { hello: 'world', c1: 'done', c2: 'done' } });
  });

  it('the same idempotency key twice creates one run', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['c1']));
    const first = await h.runs.api.startManualRun(h.alpha, workflowId, { n: 1 }, 'order-42');
    const second = await h.runs.api.startManualRun(h.alpha, workflowId, { n: 2 }, 'order-42');
    expect(second).toEqual({ runId: first.runId, isCreated: false });
    const [raced1, raced2] = await Promise.all([
      h.runs.api.startManualRun(h.alpha, workflowId, {}, 'order-43'),
      h.runs.api.startManualRun(h.alpha, workflowId, {}, 'order-43'),
    ]);
    expect(raced1.runId).toBe(raced2.runId);
    const rows = await queryRows<{ n: number }>(h.database.db, sql`SELECT count(*)::int AS n FROM runs WHERE workflow_id = ${workflowId}`);
    expect(rows[0]!.n).toBe(2);
  });

  it('a cancelled run stops before its next step', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['c1', 'gated', 'c3']));
    const gate = deferred();
    h.gates.set('gated', gate.promise);
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    const runner = h.runs.createRunner({ workerId: 'cancel-test' });
    const running = runner.runOnce();
    await waitFor(async () => ((await countEffects(h.database.db, runId))['gated:start'] ? true : undefined), 10_000, 'the gated step');
    const cancelled = await h.runs.api.cancelRun(h.alpha, h.actor, runId);
    expect(cancelled.cancelRequestedAt).not.toBeNull();
    gate.resolve();
    await running;
    h.gates.delete('gated');
    expect((await readRun(runId)).status).toBe('cancelled');
    expect(await countEffects(h.database.db, runId)).toEqual({ 'c1:start': 1, 'c1:done': 1, 'gated:start': 1, 'gated:done': 1 });
  });

  it('a queued run cancelled before any runner saw it never runs', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['c1']));
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    await h.runs.api.cancelRun(h.alpha, h.actor, runId);
    expect(await h.runs.createRunner({ workerId: 'late' }).runOnce()).toBe(0);
    expect((await readRun(runId)).status).toBe('cancelled');
    expect(await countEffects(h.database.db, runId)).toEqual({});
    await expect(h.runs.api.cancelRun(h.alpha, h.actor, runId)).rejects.toMatchObject({ code: 'RUN_ALREADY_FINISHED' });
  });

  it('concurrency limit 1: two runners never run two runs of the workflow at once', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['slow'], { holds: { slow: 60 } }), { concurrencyLimit: 1 });
    const runIds: string[] = [];
    for (let i = 0; i < 4; i++) runIds.push((await h.runs.api.startManualRun(h.alpha, workflowId, { i }, undefined)).runId);
    const other = h.database.kind === 'postgres' ? await h.database.openAnother() : h.database;
    const runners = [h.runs.createRunner({ workerId: 'limit-a' }), h.runs.createRunner({ workerId: 'limit-b', database: other })];
    const drain = async (runner: (typeof runners)[number]) => {
      for (let idle = 0; idle < 40; ) {
        if ((await runner.runOnce()) === 0) {
          idle++;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const open = await queryRows<{ n: number }>(other.db, sql`SELECT count(*)::int AS n FROM runs WHERE workflow_id = ${workflowId} AND status IN ('queued', 'running')`);
        if (open[0]!.n === 0) return;
      }
    };
    await Promise.all(runners.map(drain));
    const intervals: [number, number][] = [];
    for (const runId of runIds) {
      expect((await readRun(runId)).status).toBe('succeeded');
      const effects = await listEffects(h.database.db, runId);
      intervals.push([effects.find((e) => e.phase === 'start')!.at.getTime(), effects.find((e) => e.phase === 'done')!.at.getTime()]);
    }
    intervals.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]![0]).toBeGreaterThanOrEqual(intervals[i - 1]![1]);
  });

  it('a run that exceeds its timeout ends as timed_out before its next step', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['slow', 'after'], { holds: { slow: 400 } }), { timeoutMs: 150 });
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    await h.runs.createRunner({ workerId: 'timeout' }).runOnce();
    expect((await readRun(runId)).status).toBe('timed_out');
    expect((await countEffects(h.database.db, runId))['after:start']).toBeUndefined();
  });

  it('stores a failed step with its node id, message and stack; retry reruns it with the same input', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['ok', 'broken'], { failing: ['broken'] }));
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, { order: 7 }, undefined);
    await h.runs.createRunner({ workerId: 'fail' }).runOnce();
    const failed = await readRun(runId);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ nodeId: 'broken', message: 'broken failed on purpose' });
    expect(failed.error!.stack).toContain('broken failed on purpose');
    const { steps } = await h.runs.api.getRun(h.alpha, runId);
    expect(steps.find((step) => step.nodeId === 'broken')).toMatchObject({ status: 'failed', error: { message: 'broken failed on purpose' } });

    const retry = await h.runs.api.retryRun(h.alpha, h.actor, runId);
    const { run } = await h.runs.api.getRun(h.alpha, retry.runId);
    expect(run).toMatchObject({ status: 'queued', triggerKind: 'retry', sourceRunId: runId, input: { order: 7 } });
  });

  it('replays from a step: earlier steps are copied, not run again', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['first', 'second', 'third']));
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, { v: 1 }, undefined);
    const runner = h.runs.createRunner({ workerId: 'replay' });
    await runner.runOnce();
    const replay = await h.runs.api.replayRun(h.alpha, h.actor, runId, 'second');
    await runner.runOnce();
    expect((await readRun(replay.runId)).status).toBe('succeeded');
    expect(await countEffects(h.database.db, replay.runId)).toEqual({ 'second:start': 1, 'second:done': 1, 'third:start': 1, 'third:done': 1 });
    const { run } = await h.runs.api.getRun(h.alpha, replay.runId);
    expect(run.response).toMatchObject({ body: { v: 1, first: 'done', second: 'done', third: 'done' } });
    await expect(h.runs.api.replayRun(h.alpha, h.actor, runId, 'nowhere')).rejects.toMatchObject({ code: 'RUN_REPLAY_NODE_UNKNOWN' });
  });

  it('a started runner wakes on NOTIFY, and a clean stop hands its run back at a step boundary', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['c1', 'gated', 'c3']));
    const gate = deferred();
    h.gates.set('gated', gate.promise);
    // Its next poll is a minute away: only the NOTIFY of the enqueue can wake it in time.
    const runner = h.runs.createRunner({ workerId: 'listener', pollMs: 60_000 });
    await runner.start();
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    await waitFor(async () => ((await countEffects(h.database.db, runId))['gated:start'] ? true : undefined), 10_000, 'the gated step');
    const stopping = runner.stop();
    setTimeout(() => gate.resolve(), 50);
    await stopping;
    h.gates.delete('gated');
    expect((await readRun(runId)).status).toBe('running');
    expect((await readSteps(runId)).sort()).toEqual(['c1:succeeded', 'gated:succeeded', 'start:succeeded']);
    // The lease was released on stop: a successor takes the run at once, without waiting for expiry.
    expect(await h.runs.createRunner({ workerId: 'successor' }).runOnce()).toBe(1);
    expect(await readRun(runId)).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(await countEffects(h.database.db, runId)).toEqual({ 'c1:start': 1, 'c1:done': 1, 'gated:start': 1, 'gated:done': 1, 'c3:start': 1, 'c3:done': 1 });
  });

  it('a runner gives a slot only while running and free; a run started in a slot after a stop is handed back at once', async () => {
    const { workflowId, versionId } = await h.publishWorkflow(buildCountedChain(['c1']));
    const runner = h.runs.createRunner({ workerId: 'slots', concurrency: 1, pollMs: 60_000 });
    expect(runner.reserveSlot()).toBeNull();
    await runner.start();
    const slot = runner.reserveSlot();
    expect(slot).toMatchObject({ owner: 'slots' });
    expect(runner.reserveSlot()).toBeNull();
    // The run as the webhook path inserts it for that slot: already claimed, under the runner's lease.
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    await h.database.db.execute(
      sql`UPDATE runs SET status = 'running', attempt = 1, lease_owner = 'slots', lease_expires_at = now() + interval '30 seconds', started_at = now()
          WHERE id = ${runId}`,
    );
    await runner.stop();
    slot!.start({
      id: runId,
      workspaceId: h.alpha.id,
      workflowId,
      versionId,
      draftGraph: null,
      triggerKind: 'manual',
      input: {},
      attempt: 1,
      timeoutMs: 60_000,
      startedAt: new Date(),
      concurrencyLimit: null,
      isCancelRequested: false,
      resumeInput: null,
    });
    // Not run by the stopped runner: its lease is released, and a successor takes the run without waiting for expiry.
    await waitFor(async () => {
      const [row] = await queryRows<{ is_released: boolean }>(h.database.db, sql`SELECT lease_expires_at < now() AS is_released FROM runs WHERE id = ${runId}`);
      return row!.is_released ? true : undefined;
    });
    expect(await h.runs.createRunner({ workerId: 'slots-successor' }).runOnce()).toBe(1);
    expect(await readRun(runId)).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(await countEffects(h.database.db, runId)).toEqual({ 'c1:start': 1, 'c1:done': 1 });
  });

  it('caps a stored step output above maxOutputBytes with a truncation marker', async () => {
    const { workflowId } = await h.publishWorkflow({
      nodes: [buildTestNode('start', 'trigger.manual'), buildTestNode('big', 'transform', { mapping: { text: '$pad("", 5000, "x")' } })],
      edges: [linkTestNodes('start', 'big')],
    });
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    await h.runs.createRunner({ workerId: 'cap', maxOutputBytes: 1000 }).runOnce();
    const { run, steps } = await h.runs.api.getRun(h.alpha, runId);
    expect(run.status).toBe('succeeded');
    const big = steps.find((step) => step.nodeId === 'big')!;
    expect(big.outputTruncated).toBe(true);
    expect(big.output).toMatchObject({ truncated: true, bytes: 5011 });
    expect(JSON.stringify(big.output).length).toBeLessThan(1200);
  });

  it('checkpoints an output holding U+0000, which jsonb refuses, as U+FFFD instead of failing forever', async () => {
    const { workflowId } = await h.publishWorkflow({
      nodes: [buildTestNode('start', 'trigger.manual'), buildTestNode('nul', 'transform', { mapping: { text: '"a\\u0000b"', path: '"c:\\\\u0000"' } })],
      edges: [linkTestNodes('start', 'nul')],
    });
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    await h.runs.createRunner({ workerId: 'nul' }).runOnce();
    const { run, steps } = await h.runs.api.getRun(h.alpha, runId);
    expect(run.status).toBe('succeeded');
    expect(steps.find((step) => step.nodeId === 'nul')!.output).toEqual({ text: 'a\ufffdb', path: 'c:\\u0000' });
  });

  it('crash mid-run: another runner takes over after the lease expires, and no finished step runs twice', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['c1', 'slow', 'c3']));
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, {}, undefined);
    // Worker A: its slow step never finishes; then its connections die, as if its process had been killed.
    const severable = createSeverableDatabase(h.database);
    const stuck = deferred();
    const doomed = createRunnerOn(severable, 'worker-a', new Map([['slow', stuck.promise]]));
    const running = doomed.runOnce();
    await waitFor(async () => ((await countEffects(h.database.db, runId))['slow:start'] ? true : undefined), 10_000, 'the slow step');
    severable.sever();
    expect((await readRun(runId)).lease_owner).toBe('worker-a');

    const runnerB = createRunnerOn(h.database, 'worker-b', new Map());
    expect(await runnerB.runOnce()).toBe(0); // A's lease is still valid
    await waitFor(async () => ((await runnerB.runOnce()) > 0 ? true : undefined), 10_000, 'the lease to expire');
    expect(await readRun(runId)).toMatchObject({ status: 'succeeded', attempt: 2, lease_owner: null });
    expect(await countEffects(h.database.db, runId)).toEqual({
      'c1:start': 1,
      'c1:done': 1,
      'slow:start': 2, // interrupted in A, run again in B
      'slow:done': 1,
      'c3:start': 1,
      'c3:done': 1,
    });
    const workers = (await listEffects(h.database.db, runId)).map((effect) => `${effect.node_id}:${effect.phase}:${effect.worker}`);
    expect(workers).toEqual(['c1:start:worker-a', 'c1:done:worker-a', 'slow:start:worker-a', 'slow:start:worker-b', 'slow:done:worker-b', 'c3:start:worker-b', 'c3:done:worker-b']);
    stuck.reject(new Error('the process is gone'));
    await running;
  });
});

function createRunnerOn(database: Database, workerId: string, gates: Map<string, Promise<void>>) {
  return h.runs.createRunner({ database, workerId, leaseMs: 300, services: { effects: createStepEffects(h.database.db, workerId, gates) } });
}
