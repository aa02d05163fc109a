/**
 * A worker process for the crash test: a runner on the test's PostgreSQL
 * database with the counted node. Bundled by the test with esbuild and
 * started with child_process.fork; its configuration comes as one JSON
 * argument, and it says "ready" over IPC once it polls the queue.
 */
import { openDatabase } from '@weft/db';
import { coreNodes, createNodeRegistry } from '@weft/engine';
import { createLogger, systemClock } from '@weft/kernel';
import { createRunner } from '@weft/runs';
import { createWorkflowsModule } from '@weft/workflows';
import { countedNode, createStepEffects } from './counted-nodes';

interface ProcessConfig {
  databaseUrl: string;
  workerId: string;
  leaseMs: number;
  /** Node id → how long it holds in this process (overrides its param). */
  holds: Record<string, number>;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ProcessConfig;
const logger = createLogger({ level: 'silent', format: 'json' });
const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 3 });
const registry = createNodeRegistry([...coreNodes, countedNode]);
const workflows = createWorkflowsModule({
  database,
  clock: systemClock,
  registry,
  requireWorkspaceAccess: () => Promise.reject(new Error('no HTTP in a worker')),
  audit: { recordAudit: async () => undefined },
});
const runner = createRunner({
  database,
  logger,
  registry,
  catalog: workflows.api.catalog,
  workerId: config.workerId,
  leaseMs: config.leaseMs,
  pollMs: 50,
  services: { effects: createStepEffects(database.db, config.workerId, new Map(), new Map(Object.entries(config.holds))) },
});
await runner.start();
process.send?.('ready');
process.once('SIGTERM', () => {
  void runner
    .stop()
    .then(() => database.close())
    .then(() => process.exit(0));
});
