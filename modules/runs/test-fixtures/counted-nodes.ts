import { setTimeout as wait } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type DbExecutor } from '@weft/db';
import { defineNode } from '@weft/engine';

/**
 * What the counted node does outside the run, as an external system would
 * see it: a row per start and per finish, written straight to a table so
 * that a worker process killed mid-step leaves its trace too.
 */
export interface StepEffects {
  record(idempotencyKey: string, nodeId: string, phase: 'start' | 'done'): Promise<void>;
  /** Where a step waits: a test gate, a delay, or nothing. */
  hold(nodeId: string, holdMs: number, signal: AbortSignal): Promise<void>;
}

export async function createEffectsTable(executor: DbExecutor): Promise<void> {
  await executor.execute(
    sql`CREATE TABLE IF NOT EXISTS test_step_effects (
          run_id text NOT NULL, node_id text NOT NULL, phase text NOT NULL, worker text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`,
  );
}

export function createStepEffects(
  executor: DbExecutor,
  worker: string,
  gates: Map<string, Promise<void>> = new Map(),
  holdOverrides: Map<string, number> = new Map(),
): StepEffects {
  return {
    async record(idempotencyKey, nodeId, phase) {
      const runId = idempotencyKey.slice(0, idempotencyKey.lastIndexOf(':'));
      await executor.execute(sql`INSERT INTO test_step_effects (run_id, node_id, phase, worker) VALUES (${runId}, ${nodeId}, ${phase}, ${worker})`);
    },
    async hold(nodeId, holdMs, signal) {
      const gate = gates.get(nodeId);
      if (gate) await Promise.race([gate, new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }))]);
      const ms = holdOverrides.get(nodeId) ?? holdMs;
      if (ms > 0) await wait(ms, undefined, { signal });
    },
  };
}

export interface EffectRow {
  run_id: string;
  node_id: string;
  phase: string;
  worker: string;
  at: Date;
}

export async function listEffects(executor: DbExecutor, runId: string): Promise<EffectRow[]> {
  const rows = await queryRows<EffectRow>(executor, sql`SELECT run_id, node_id, phase, worker, at FROM test_step_effects WHERE run_id = ${runId} ORDER BY at`);
  return rows.map((row) => ({ ...row, at: new Date(row.at) }));
}

/** `node:phase` → how many times, for one run. */
export async function countEffects(executor: DbExecutor, runId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const row of await listEffects(executor, runId)) counts[`${row.node_id}:${row.phase}`] = (counts[`${row.node_id}:${row.phase}`] ?? 0) + 1;
  return counts;
}

/** An action with a side effect per start and finish; `holdMs` makes it slow, `shouldFail` makes it fail. */
export const countedNode = defineNode({
  type: 'test.counted',
  version: 1,
  name: 'Counted',
  description: 'Records each start and finish where a test can count them',
  kind: 'action',
  params: z.object({ holdMs: z.number().int().min(0).default(0), shouldFail: z.boolean().default(false) }),
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  async run({ nodeId, input, params, idempotencyKey, services, signal }) {
    const effects = services.effects as StepEffects;
    await effects.record(idempotencyKey, nodeId, 'start');
    await effects.hold(nodeId, params.holdMs, signal);
    if (params.shouldFail) throw new Error(`${nodeId} failed on purpose`);
    await effects.record(idempotencyKey, nodeId, 'done');
    const seen = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    return { output: { ...seen, [nodeId]: 'done' } };
  },
});
