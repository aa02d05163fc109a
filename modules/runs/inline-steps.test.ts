import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { readRunProgress } from './run-progress.repository';
import { buildCountedChain, buildW1Graph, createRunsHarness, type RunsHarness } from './test-fixtures/runs-harness';
import { listEffects } from './test-fixtures/counted-nodes';

let h: RunsHarness;
beforeAll(async () => {
  h = await createRunsHarness();
});
afterAll(async () => {
  await h.close();
});

async function postHook(path: string, payload: Record<string, unknown>): Promise<{ statusCode: number; runId: string }> {
  const reply = await h.app.inject({ method: 'POST', url: `/hooks/alpha/${path}`, payload });
  return { statusCode: reply.statusCode, runId: reply.headers['x-weft-run-id'] as string };
}

async function storedSteps(runId: string): Promise<{ inline: unknown; rows: number }> {
  const [row] = await queryRows<{ inline: unknown; rows: number }>(
    h.database.db,
    sql`SELECT r.steps AS inline, (SELECT count(*)::int FROM run_steps s WHERE s.run_id = r.id) AS rows FROM runs r WHERE r.id = ${runId}`,
  );
  return row!;
}

describe('steps of a run recorded after it ended', () => {
  it('a sync webhook run saving every run keeps its steps in the run row, and reads them back like step rows', async () => {
    await h.publishWorkflow(buildW1Graph('inline'), { savingPolicy: 'all' });
    const { statusCode, runId } = await postHook('inline', { a: 1, name: 'ann' });
    expect(statusCode).toBe(200);

    const stored = await storedSteps(runId);
    expect(stored.rows).toBe(0);
    // The trigger's output is the run's input and the reply's its response: each kept once.
    expect(stored.inline).toEqual([
      expect.objectContaining({ node_id: 'hook', output_from: 'input' }),
      expect.objectContaining({ node_id: 'shape', output: { sum: 2, greeting: 'hi ann' } }),
      expect.objectContaining({ node_id: 'reply', output_from: 'response' }),
    ]);
    expect((stored.inline as Record<string, unknown>[])[0]).not.toHaveProperty('output');

    const { run, steps } = await h.runs.api.getRun(h.alpha, runId);
    expect(run.status).toBe('succeeded');
    expect(steps.map((step) => step.nodeId)).toEqual(['hook', 'shape', 'reply']);
    expect(steps[1]).toMatchObject({ runId, status: 'succeeded', port: 'main', output: { sum: 2, greeting: 'hi ann' }, outputTruncated: false, error: null, wait: null, attempts: 1 });
    expect(steps.every((step) => step.startedAt instanceof Date && step.finishedAt >= step.startedAt)).toBe(true);
    expect(steps[0]!.output).toEqual(run.input);
    expect(steps[0]!.output).toMatchObject({ body: { a: 1, name: 'ann' }, method: 'POST' });
    expect(steps[2]!.output).toEqual(run.response);
    expect(steps[2]!.output).toMatchObject({ status: 200, body: { sum: 2, greeting: 'hi ann' } });

    const progress = await readRunProgress(h.database.db, h.alpha.id, runId);
    expect(progress?.steps.map((step) => [step.nodeId, step.status])).toEqual([
      ['hook', 'succeeded'],
      ['shape', 'succeeded'],
      ['reply', 'succeeded'],
    ]);
  });

  it('a failed run keeps the failed step with its error; a list of runs does not carry the steps', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['ok', 'bad'], { trigger: 'trigger.webhook', path: 'inline-fail', failing: ['bad'] }), {
      savingPolicy: 'failed',
    });
    const { statusCode, runId } = await postHook('inline-fail', { x: 1 });
    expect(statusCode).toBe(500);
    const { steps } = await h.runs.api.getRun(h.alpha, runId);
    const failed = steps.find((step) => step.nodeId === 'bad');
    expect(failed).toMatchObject({ status: 'failed', error: { message: expect.any(String) } });
    const listed = await h.runs.api.listRuns({ workspaceId: h.alpha.id, workflowId }, 10);
    expect(listed.map((run) => run.id)).toEqual([runId]);
    expect(listed[0]).not.toHaveProperty('steps');
  });

  it('a replay of such a run starts from the chosen node with the inline outputs before it, running nothing twice', async () => {
    await h.publishWorkflow(buildCountedChain(['first', 'second', 'third'], { trigger: 'trigger.webhook', path: 'inline-replay', failing: ['third'] }), {
      savingPolicy: 'all',
    });
    const { runId } = await postHook('inline-replay', { x: 1 });
    const started = async (id: string) => (await listEffects(h.database.db, id)).filter((effect) => effect.phase === 'start').map((effect) => effect.node_id);
    expect(await started(runId)).toEqual(['first', 'second', 'third']);

    const replay = await h.runs.api.replayRun(h.alpha, h.actor, runId, 'second');
    const copied = await queryRows<{ node_id: string; output: unknown }>(
      h.database.db,
      sql`SELECT node_id, output FROM run_steps WHERE run_id = ${replay.runId} ORDER BY started_at`,
    );
    expect(copied.map((step) => step.node_id)).toEqual(['start', 'first']);
    // The trigger's output, kept as the source run's input, is copied out as a real output.
    expect(copied[0]!.output).toMatchObject({ body: { x: 1 }, method: 'POST' });
    await h.runs.createRunner({ workerId: 'replayer' }).runOnce();
    expect(await started(replay.runId)).toEqual(['second', 'third']);
  });
});
