import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { compilePgliteModule, openDatabase, queryRows, type Database } from './database';
import { EmbeddedDatabaseThread } from './embedded-thread';

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
