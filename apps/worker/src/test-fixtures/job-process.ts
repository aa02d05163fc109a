/**
 * A worker process for the periodic-job test: one job that is always due
 * and writes when it starts and ends, in its own table, so the test can check
 * that no two runs of it ever overlapped across processes. Bundled by the
 * test with esbuild, started with child_process.fork; configuration comes as
 * one JSON argument, and it says "ready" over IPC once its loops run.
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '@weft/db';
import { createLogger } from '@weft/kernel';
import { createWorker } from '../worker';

interface ProcessConfig {
  databaseUrl: string;
  workerId: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ProcessConfig;
const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 3 });
const worker = createWorker({
  database,
  logger: createLogger({ level: 'silent', format: 'json' }),
  workerId: config.workerId,
  pollMs: 10,
  subscribers: [],
  jobs: [
    {
      name: 'test.exclusive-across-processes',
      intervalMs: 0,
      leaseMs: 2000,
      async run() {
        await database.db.execute(sql`INSERT INTO test_job_spans (worker, phase, at) VALUES (${config.workerId}, 'start', clock_timestamp())`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        await database.db.execute(sql`INSERT INTO test_job_spans (worker, phase, at) VALUES (${config.workerId}, 'end', clock_timestamp())`);
      },
    },
  ],
});
await worker.start();
process.send?.('ready');
process.once('SIGTERM', () => {
  void worker
    .stop()
    .then(() => database.close())
    .then(() => process.exit(0));
});
