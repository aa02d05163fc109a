import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { newId } from '@weft/kernel';
import { buildCountedChain, createRunsHarness, type RunsHarness } from './test-fixtures/runs-harness';

let h: RunsHarness;
beforeAll(async () => {
  h = await createRunsHarness();
});
afterAll(async () => {
  await h.close();
});

const DAY = 86_400_000;

/** Inserts a run `ageDays` old with one step, straight into the table. */
async function insertRun(workspaceId: string, workflowId: string, versionId: string, ageDays: number, status = 'succeeded'): Promise<string> {
  const id = newId();
  const createdAt = new Date(Date.now() - ageDays * DAY).toISOString();
  await h.database.db.execute(
    sql`INSERT INTO runs (id, workspace_id, workflow_id, version_id, version_number, status, trigger_kind, timeout_ms, created_at, available_at)
        VALUES (${id}, ${workspaceId}, ${workflowId}, ${versionId}, 1, ${status}, 'manual', 1000, ${createdAt}::timestamptz, ${createdAt}::timestamptz)`,
  );
  await h.database.db.execute(
    sql`INSERT INTO run_steps (run_id, node_id, status, started_at, finished_at) VALUES (${id}, 'start', 'succeeded', ${createdAt}::timestamptz, ${createdAt}::timestamptz)`,
  );
  return id;
}

async function remaining(ids: string[]): Promise<{ runs: string[]; steps: string[] }> {
  const runs = await queryRows<{ id: string }>(h.database.db, sql`SELECT id FROM runs WHERE id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
  const steps = await queryRows<{ run_id: string }>(h.database.db, sql`SELECT run_id FROM run_steps WHERE run_id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
  return { runs: runs.map((row) => row.id).sort(), steps: steps.map((row) => row.run_id).sort() };
}

describe('run retention', () => {
  it('removes exactly the expired runs and their steps, and nothing else', async () => {
    const alpha = await h.publishWorkflow(buildCountedChain(['c1']));
    const beta = await h.publishWorkflow(buildCountedChain(['c1']), {}, h.beta);
    // alpha keeps 10 days and at most 3 runs; beta has the defaults (30 days, 10,000 runs).
    await h.database.db.execute(sql`INSERT INTO run_retention_policies (workspace_id, max_age_days, max_runs) VALUES (${h.alpha.id}, 10, 3)`);

    const alphaOld = await insertRun(h.alpha.id, alpha.workflowId, alpha.versionId, 11);
    const alphaOldButRunning = await insertRun(h.alpha.id, alpha.workflowId, alpha.versionId, 12, 'running');
    const recent: string[] = [];
    for (const age of [5, 4, 3, 2]) recent.push(await insertRun(h.alpha.id, alpha.workflowId, alpha.versionId, age));
    const betaOld = await insertRun(h.beta.id, beta.workflowId, beta.versionId, 31);
    const betaKept = await insertRun(h.beta.id, beta.workflowId, beta.versionId, 29);

    const removed = await h.runs.api.purgeExpiredRuns();
    // Age: alphaOld (11 > 10 days) and betaOld (31 > 30). Count: alpha has 5 runs left (4 recent + the running one);
    // it keeps its newest 3, so the 5-day-old one goes; the running one is never purged.
    expect(removed).toBe(3);
    const all = [alphaOld, alphaOldButRunning, ...recent, betaOld, betaKept];
    const expected = [alphaOldButRunning, recent[1]!, recent[2]!, recent[3]!, betaKept].sort();
    expect(await remaining(all)).toEqual({ runs: expected, steps: expected });
    expect(await h.runs.api.purgeExpiredRuns()).toBe(0);
  });
});
