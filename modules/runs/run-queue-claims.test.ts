import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { claimRuns } from './run-queue.repository';
import { buildCountedChain, createRunsHarness, type RunsHarness } from './test-fixtures/runs-harness';

// A database of its own: claims take whatever is due, so no other test's runs may be queued here.
let h: RunsHarness;
beforeAll(async () => {
  h = await createRunsHarness();
});
afterAll(async () => {
  await h.close();
});

const claim = (owner: string, limit: number) => h.database.transaction((tx) => claimRuns(tx, owner, 30_000, limit));

describe('claiming due runs', () => {
  it('a workflow at its concurrency limit does not hold back the runs of other workflows queued behind its own', async () => {
    const limited = await h.publishWorkflow(buildCountedChain(['a']), { concurrencyLimit: 1 });
    const open = await h.publishWorkflow(buildCountedChain(['b']));
    const limitedRuns: string[] = [];
    for (let i = 0; i < 3; i++) limitedRuns.push((await h.runs.api.startManualRun(h.alpha, limited.workflowId, { i }, undefined)).runId);
    const openRun = (await h.runs.api.startManualRun(h.alpha, open.workflowId, {}, undefined)).runId;

    // The oldest run takes the limited workflow's only slot…
    expect((await claim('worker-a', 1)).map((run) => run.id)).toEqual([limitedRuns[0]]);
    // …so a claim of one must skip its two older queued runs and find the other workflow's.
    expect((await claim('worker-b', 1)).map((run) => run.id)).toEqual([openRun]);
    expect(await claim('worker-b', 5)).toEqual([]);

    const states = await queryRows<{ id: string; status: string; lease_owner: string | null }>(
      h.database.db,
      sql`SELECT id, status, lease_owner FROM runs WHERE workflow_id IN (${limited.workflowId}, ${open.workflowId}) ORDER BY created_at, id`,
    );
    expect(states.map((row) => [row.status, row.lease_owner])).toEqual([
      ['running', 'worker-a'],
      ['queued', null],
      ['queued', null],
      ['running', 'worker-b'],
    ]);
  });

  it('takes queued runs oldest first, then runs whose worker died, up to the limit', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['c']));
    const queued: string[] = [];
    for (let i = 0; i < 3; i++) queued.push((await h.runs.api.startManualRun(h.alpha, workflowId, { i }, undefined)).runId);
    const orphan = (await h.runs.api.startManualRun(h.alpha, workflowId, { orphan: true }, undefined)).runId;
    // A run whose worker stopped renewing its lease an hour ago, queued before the others.
    await h.database.db.execute(
      sql`UPDATE runs SET status = 'running', lease_owner = 'dead-worker', lease_expires_at = now() - interval '1 hour',
            available_at = now() - interval '2 hours', attempt = 1 WHERE id = ${orphan}`,
    );

    // The claim returns its runs in no particular order; which ones it took is what matters.
    const first = await claim('worker-c', 2);
    expect(first.map((run) => run.id).sort()).toEqual([orphan, queued[0]!].sort());
    expect(first.find((run) => run.id === orphan)!.attempt).toBe(2);
    expect((await claim('worker-c', 5)).map((run) => run.id).sort()).toEqual([queued[1]!, queued[2]!].sort());
  });
});
