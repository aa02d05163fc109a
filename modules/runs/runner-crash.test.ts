import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { bundleForChildProcess } from '@weft/testing';
import { countEffects, listEffects } from './test-fixtures/counted-nodes';
import { buildCountedChain, createRunsHarness, waitFor, type RunsHarness } from './test-fixtures/runs-harness';

// Two worker processes need a database they can both reach: PostgreSQL only.
// On PGlite the same property is tested in one process (run-queue.test.ts, "crash mid-run").
const isPostgres = inject('databaseTemplate').kind === 'postgres';
let bundle: { file: string; remove(): void } | undefined;


let h: RunsHarness;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!isPostgres) return;
  bundle = await bundleForChildProcess(join(import.meta.dirname, 'test-fixtures/runner-process.ts'), 'runner-process');
  h = await createRunsHarness();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  bundle?.remove();
  await h?.close();
});

function startWorker(workerId: string, holds: Record<string, number>): Promise<ChildProcess> {
  const config = { databaseUrl: h.database.url, workerId, leaseMs: 1000, holds };
  const child = fork(bundle!.file, [JSON.stringify(config)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolveReady, reject) => {
    child.once('message', (message) => (message === 'ready' ? resolveReady(child) : reject(new Error(String(message)))));
    child.once('exit', (code, signal) => reject(new Error(`worker ${workerId} exited early (${code ?? signal})`)));
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

describe.runIf(isPostgres)('a worker process killed in the middle of a run', () => {
  it('SIGKILL during a slow step: another worker process finishes the run, every finished step ran once', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['c1', 'slow', 'c3']));
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, { order: 1 }, undefined);

    const first = await startWorker('proc-1', { slow: 60_000 });
    await waitFor(async () => ((await countEffects(h.database.db, runId))['slow:start'] ? true : undefined), 15_000, 'the slow step in proc-1');
    first.kill('SIGKILL');
    await waitForExit(first);

    const second = await startWorker('proc-2', { slow: 0 });
    const finished = await waitFor(
      async () => {
        const rows = await queryRows<{ status: string; attempt: number }>(h.database.db, sql`SELECT status, attempt FROM runs WHERE id = ${runId}`);
        return rows[0]!.status === 'running' || rows[0]!.status === 'queued' ? undefined : rows[0]!;
      },
      20_000,
      'proc-2 to finish the run',
    );
    expect(finished).toEqual({ status: 'succeeded', attempt: 2 });
    expect(await countEffects(h.database.db, runId)).toEqual({ 'c1:start': 1, 'c1:done': 1, 'slow:start': 2, 'slow:done': 1, 'c3:start': 1, 'c3:done': 1 });
    const byWorker = (await listEffects(h.database.db, runId)).map((effect) => `${effect.node_id}:${effect.phase}:${effect.worker}`);
    expect(byWorker).toEqual(['c1:start:proc-1', 'c1:done:proc-1', 'slow:start:proc-1', 'slow:start:proc-2', 'slow:done:proc-2', 'c3:start:proc-2', 'c3:done:proc-2']);

    second.kill('SIGTERM');
    await waitForExit(second);
    expect(second.exitCode).toBe(0);
  }, 60_000);
});
