import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryRows } from '@weft/db';
import { bundleForChildProcess, createTestDatabase, type TestDatabase } from '@weft/testing';

// Two processes need a database both can reach: PostgreSQL only. On PGlite the
// lease is tested with two workers in one process (worker.test.ts).
const isPostgres = inject('databaseTemplate').kind === 'postgres';
let bundle: { file: string; remove(): void } | undefined;


let database: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!isPostgres) return;
  bundle = await bundleForChildProcess(join(import.meta.dirname, 'test-fixtures/job-process.ts'), 'job-process');
  database = await createTestDatabase();
  await database.db.execute(sql`CREATE TABLE test_job_spans (id bigserial PRIMARY KEY, worker text NOT NULL, phase text NOT NULL, at timestamptz NOT NULL)`);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  bundle?.remove();
  await database?.close();
});

function startWorkerProcess(workerId: string): Promise<ChildProcess> {
  const child = fork(bundle!.file, [JSON.stringify({ databaseUrl: database.url, workerId })], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolveReady, reject) => {
    child.once('message', (message) => (message === 'ready' ? resolveReady(child) : reject(new Error(String(message)))));
    child.once('exit', (code, signal) => reject(new Error(`worker ${workerId} exited early (${code ?? signal})`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolveExit) => {
    child.once('exit', () => resolveExit());
    child.kill('SIGTERM');
  });
}

describe.runIf(isPostgres)('periodic jobs across worker processes', () => {
  it('two worker processes racing for an always-due job never run it at the same time', async () => {
    const [a, b] = await Promise.all([startWorkerProcess('process-a'), startWorkerProcess('process-b')]);
    await new Promise((resolveWait) => setTimeout(resolveWait, 2500));
    await Promise.all([stop(a), stop(b)]);

    const rows = await queryRows<{ worker: string; phase: string; at: Date }>(database.db, sql`SELECT worker, phase, at FROM test_job_spans ORDER BY at, id`);
    // Walk the starts and ends in time order: more than one run open at once would be an overlap.
    let open = 0;
    let maxOpen = 0;
    for (const row of rows) {
      open += row.phase === 'start' ? 1 : -1;
      maxOpen = Math.max(maxOpen, open);
    }
    const starts = rows.filter((row) => row.phase === 'start');
    expect(starts.length, 'the job ran again and again').toBeGreaterThan(10);
    expect(new Set(starts.map((row) => row.worker)).size, 'both processes got the job at some point').toBe(2);
    expect(maxOpen).toBe(1);
  });
});
