import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, writeOutboxEvent, type Database } from '@weft/db';
import { createLogger, type PeriodicJob } from '@weft/kernel';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { createWorker } from './worker';

const logger = createLogger({ level: 'silent', format: 'json' });
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('worker: outbox delivery', () => {
  it('delivers a committed event to its subscriber once and skips a rolled-back one', async () => {
    const received: unknown[] = [];
    const worker = createWorker({
      database,
      logger,
      jobs: [],
      pollMs: 20,
      subscribers: [{ event: 'test.thing.created', name: 'collector', deliver: async (payload) => void received.push(payload) }],
    });
    await database.transaction((tx) => writeOutboxEvent(tx, 'test.thing.created', { id: 'a' }));
    await database
      .transaction(async (tx) => {
        await writeOutboxEvent(tx, 'test.thing.created', { id: 'rolled-back' });
        throw new Error('abort the change');
      })
      .catch(() => undefined);
    await worker.start();
    for (let i = 0; i < 100 && received.length === 0; i++) await sleep(20);
    await sleep(100);
    await worker.stop();
    expect(received).toEqual([{ id: 'a' }]);
  });

  it('lets a subscriber use the database (and its own transactions) while delivering, on PGlite too', async () => {
    const seen: number[] = [];
    const worker = createWorker({
      database,
      logger,
      jobs: [],
      pollMs: 1000,
      subscribers: [
        {
          event: 'test.uses-database',
          name: 'writer',
          deliver: async () => {
            // PGlite has one connection: this would wait forever inside the claiming transaction.
            const rows = await database.transaction((tx) => queryRows<{ n: number }>(tx, sql`SELECT 41 + 1 AS n`));
            seen.push(rows[0]!.n);
          },
        },
      ],
    });
    await database.transaction((tx) => writeOutboxEvent(tx, 'test.uses-database', {}));
    const delivered = await Promise.race([worker.deliverOutboxOnce(), sleep(5000).then(() => 'stuck')]);
    expect(delivered).toBe(1);
    expect(seen).toEqual([42]);
    expect(await worker.deliverOutboxOnce(), 'marked delivered').toBe(0);
  });

  it('retries a failing subscriber later instead of losing the event', async () => {
    let calls = 0;
    const worker = createWorker({
      database,
      logger,
      jobs: [],
      pollMs: 1000,
      subscribers: [
        {
          event: 'test.flaky',
          name: 'flaky',
          deliver: async () => {
            calls += 1;
            throw new Error('downstream unavailable');
          },
        },
      ],
    });
    await database.transaction((tx) => writeOutboxEvent(tx, 'test.flaky', {}));
    expect(await worker.deliverOutboxOnce()).toBe(1);
    const rows = await queryRows<{ attempts: number; last_error: string; delivered_at: unknown }>(
      database.db,
      sql`SELECT attempts, last_error, delivered_at FROM outbox_events WHERE name = 'test.flaky'`,
    );
    expect(calls).toBe(1);
    expect(rows[0]).toMatchObject({ attempts: 1, last_error: 'downstream unavailable', delivered_at: null });
    // Backed off: not due again right away.
    expect(await worker.deliverOutboxOnce()).toBe(0);
  });
});

describe('worker: periodic jobs', () => {
  it('runs a due job, then waits for its interval', async () => {
    let runs = 0;
    const job: PeriodicJob = { name: 'test.interval', intervalMs: 60_000, run: async () => void (runs += 1) };
    const worker = createWorker({ database, logger, jobs: [job], subscribers: [], pollMs: 20 });
    await worker.start();
    for (let i = 0; i < 100 && runs === 0; i++) await sleep(20);
    await sleep(150);
    await worker.stop();
    expect(runs).toBe(1);
  });

  it('never runs the same periodic job in two workers at once', async () => {
    // Two workers with their own connection pools (like two processes) race
    // for a job that is always due; the lease must keep them apart.
    const second: Database = database.kind === 'postgres' ? await database.openAnother() : database;
    let active = 0;
    let maxActive = 0;
    const runsBy = new Map<string, number>();
    const makeJob = (label: string): PeriodicJob => ({
      name: 'test.exclusive',
      intervalMs: 0,
      async run() {
        active += 1;
        maxActive = Math.max(maxActive, active);
        runsBy.set(label, (runsBy.get(label) ?? 0) + 1);
        await sleep(40);
        active -= 1;
      },
    });
    const a = createWorker({ database, logger, jobs: [makeJob('a')], subscribers: [], pollMs: 5, workerId: 'a' });
    const b = createWorker({ database: second, logger, jobs: [makeJob('b')], subscribers: [], pollMs: 5, workerId: 'b' });
    await Promise.all([a.start(), b.start()]);
    await sleep(1500);
    await Promise.all([a.stop(), b.stop()]);
    const total = [...runsBy.values()].reduce((x, y) => x + y, 0);
    expect(maxActive).toBe(1);
    expect(total).toBeGreaterThan(5);
    const [row] = await queryRows<{ run_count: number }>(database.db, sql`SELECT run_count FROM periodic_jobs WHERE name = 'test.exclusive'`);
    expect(row?.run_count).toBe(total);
  });

  it('takes over a job whose lease expired (its worker died)', async () => {
    await database.db.execute(
      sql`INSERT INTO periodic_jobs (name, next_run_at, locked_by, locked_until)
          VALUES ('test.orphaned', now() - interval '1 minute', 'dead-worker', now() - interval '1 second')`,
    );
    let ran = false;
    const worker = createWorker({
      database,
      logger,
      subscribers: [],
      pollMs: 1000,
      jobs: [{ name: 'test.orphaned', intervalMs: 60_000, run: async () => void (ran = true) }],
    });
    expect(await worker.runDueJobsOnce()).toEqual(['test.orphaned']);
    expect(ran).toBe(true);
  });
});
