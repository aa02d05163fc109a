import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { compilePgliteModule, openDatabase, queryRows, type Database } from './database';
import { EmbeddedDatabaseThread, prestartEmbeddedThread } from './embedded-thread';

// The embedded database's thread itself; the suites on both drivers cover the rest through Database.
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
});
afterAll(async () => {
  await database.close();
});

describe('the embedded database thread', () => {
  it('still reads the files PostgreSQL loads on demand once the start-up bundle is released', async () => {
    await database.db.execute(sql`CREATE FUNCTION thread_answer() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 42; END $$`);
    const [row] = await queryRows<{ answer: number; paris: string; stems: string; collated: boolean }>(
      database.db,
      sql`SELECT thread_answer() AS answer,
                 to_char(timestamptz '2026-07-01 12:00Z' AT TIME ZONE 'Europe/Paris', 'HH24:MI') AS paris,
                 to_tsvector('english', 'running workflows')::text AS stems,
                 'a' < 'b' COLLATE "C" AS collated`,
    );
    expect(row).toEqual({ answer: 42, paris: '14:00', stems: "'run':1 'workflow':2", collated: true });
  });

  it('makes a plain query wait for an open transaction, and rolls the transaction back on a throw', async () => {
    await database.db.execute(sql`CREATE TABLE thread_items (n int)`);
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = database
      .transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO thread_items VALUES (1)`);
        order.push('inserted');
        await held;
        throw new Error('abandoned');
      })
      .catch((error: Error) => order.push(error.message));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const count = queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM thread_items`).then((rows) => {
      order.push('counted');
      return rows[0]!.n;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await transaction;
    expect(await count).toBe(0);
    expect(order).toEqual(['inserted', 'abandoned', 'counted']);
  });

  it('keeps rows of every type a repository reads: dates as text, jsonb, bytea, arrays and bigint', async () => {
    const [row] = await queryRows(
      database.db,
      sql`SELECT timestamptz '2026-01-02 03:04:05+00' AS at, '{"a":[1]}'::jsonb AS doc, '\\x0102'::bytea AS bytes, ARRAY[1,2] AS list, 9007199254740993::int8 AS big`,
    );
    expect(row).toMatchObject({ doc: { a: [1] }, list: [1, 2] });
    expect(String((row as { at: string }).at)).toMatch(/^2026-01-02 03:04:05/);
    expect([...((row as { bytes: Uint8Array }).bytes)]).toEqual([1, 2]);
  });

  it('answers every request with an error once the database is closed', async () => {
    const other = await openDatabase({ dataDir: 'memory://' });
    await other.close();
    await expect(other.db.execute(sql`SELECT 1`)).rejects.toThrow();
  });

  it('fails to open with a clear error when the data folder cannot be used', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'weft-thread-'));
    try {
      writeFileSync(join(folder, 'pgdata'), 'not a folder');
      await expect(openDatabase({ dataDir: folder })).rejects.toThrow();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('closing the embedded database thread', () => {
  it('ends the thread after the timeout when a transaction never finishes, failing the waiting requests', async () => {
    const thread = await EmbeddedDatabaseThread.start({ dataDir: undefined, wasmModule: await compilePgliteModule(), postgresqlconf: [] });
    let stuck!: Promise<unknown>;
    const opened = new Promise<void>((resolve) => {
      stuck = thread.transaction(async (tx) => {
        await tx.query('SELECT 1');
        resolve();
        await new Promise(() => undefined); // never ends: a bug elsewhere must not keep the process alive
      });
    });
    await opened;
    const waiting = thread.query('SELECT 2');
    const started = Date.now();
    await thread.close(300);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(waiting).rejects.toThrow(/stopped|closed/);
    await expect(thread.query('SELECT 3')).rejects.toThrow('The embedded database is closed');
    void stuck;
  });
});

describe('a prestarted embedded database thread', () => {
  it('opens the database it is handed, once: a second database gets a thread of its own', async () => {
    const prestarted = prestartEmbeddedThread();
    const first = await openDatabase({ dataDir: 'memory://', prestartedThread: prestarted });
    const second = await openDatabase({ dataDir: 'memory://', prestartedThread: prestarted });
    try {
      await first.db.execute(sql`CREATE TABLE only_in_first (n int)`);
      const [row] = await queryRows<{ tables: number }>(second.db, sql`SELECT count(*)::int AS tables FROM pg_tables WHERE tablename = 'only_in_first'`);
      expect(row).toEqual({ tables: 0 });
      expect(await queryRows(first.db, sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('reports a data folder it cannot open as openDatabase does without one', async () => {
    const folder = unusableDataDir();
    try {
      await expect(openDatabase({ dataDir: folder })).rejects.toThrow(/PGlite failed to initialize/);
      await expect(openDatabase({ dataDir: folder, prestartedThread: prestartEmbeddedThread() })).rejects.toThrow(/PGlite failed to initialize/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('compiles PGlite itself for the baseline compiler, the configuration default', async () => {
    const database = await openDatabase({ dataDir: 'memory://', embeddedCompiler: 'baseline', prestartedThread: prestartEmbeddedThread() });
    try {
      expect(await queryRows(database.db, sql`SELECT 'compiled on the thread' AS note`)).toEqual([{ note: 'compiled on the thread' }]);
    } finally {
      await database.close();
    }
  });

  it('is not handed out once cancelled, and cancelling a taken thread leaves its database open', async () => {
    const cancelled = prestartEmbeddedThread();
    cancelled.cancel();
    expect(cancelled.take()).toBeUndefined();

    const prestarted = prestartEmbeddedThread();
    const database = await openDatabase({ dataDir: 'memory://', prestartedThread: prestarted });
    try {
      prestarted.cancel();
      expect(await queryRows(database.db, sql`SELECT 2 AS two`)).toEqual([{ two: 2 }]);
    } finally {
      await database.close();
    }
  });
});

describe('an embedded database returned while it starts', () => {
  it('answers a request made before it had started', async () => {
    const database = await openDatabase({ dataDir: 'memory://', returnWhileStarting: true });
    try {
      const created = database.db.execute(sql`CREATE TABLE early (n int)`);
      await created;
      await database.db.execute(sql`INSERT INTO early VALUES (7)`);
      expect(await queryRows<{ n: number }>(database.db, sql`SELECT n FROM early`)).toEqual([{ n: 7 }]);
    } finally {
      await database.close();
    }
  });

  it('fails every request with the reason it could not start, and still closes', async () => {
    const folder = unusableDataDir();
    try {
      const database = await openDatabase({ dataDir: folder, returnWhileStarting: true, prestartedThread: prestartEmbeddedThread() });
      const failure = await database.db.execute(sql`SELECT 1`).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(String((failure as { cause?: unknown }).cause)).toMatch(/PGlite failed to initialize/);
      await expect(database.close()).resolves.toBeUndefined();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

/** A data folder PostgreSQL refuses once its thread has started: written by a major version it cannot read. */
function unusableDataDir(): string {
  const folder = mkdtempSync(join(tmpdir(), 'weft-thread-'));
  mkdirSync(join(folder, 'pgdata'));
  writeFileSync(join(folder, 'pgdata', 'PG_VERSION'), '9.6\n');
  return folder;
}
