import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import type pg from 'pg';
import type { Logger } from '@weft/kernel';
import { EmbeddedDatabaseThread, type PreparedResult, type PreparedStatement } from './embedded-thread';

/** The drizzle handle every repository works with; a transaction is one too. */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;
/** Anything a repository can run SQL on: the database or an open transaction. */
export type DbExecutor = Db | Tx;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Runs `fn` in one transaction; a throw rolls every statement back. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs a statement the connection parses once and afterwards only binds and executes: for the
   * hottest writes, where parsing and planning were a large part of the cost. A Uint8Array
   * parameter is sent in binary format (jsonbParam), anything else as text. Returned rows'
   * values are text on PGlite and the `pg` driver's types on PostgreSQL.
   */
  runPrepared(statement: PreparedStatement, params: unknown[]): Promise<PreparedResult>;
  /** Subscribes to NOTIFY on `channel`; returns the unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when absent an embedded PGlite is used. */
  databaseUrl?: string;
  /** Folder of the embedded database; ignored for PostgreSQL. `memory://` keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
  logger?: Logger;
  /** A PGlite data dir dump to start from (tests clone a migrated template this way). */
  loadDataDir?: Blob;
  /**
   * `baseline` compiles PGlite's WebAssembly with V8's baseline compiler only (Liftoff): about
   * 60 MB less resident memory and a faster start, for embedded queries up to a quarter slower.
   * Unset leaves V8's default (baseline first, hot functions optimised). Ignored for PostgreSQL.
   */
  embeddedCompiler?: 'baseline' | 'optimizing';
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options);
}

async function openPglite(options: OpenDatabaseOptions): Promise<Database> {
  let location: string | undefined;
  if (options.dataDir && options.dataDir !== 'memory://') {
    location = join(options.dataDir, 'pgdata');
    mkdirSync(location, { recursive: true }); // PGlite does not create parent folders
  }
  if (options.embeddedCompiler === 'baseline') useBaselineWasmCompilerOnly();
  const thread = await EmbeddedDatabaseThread.start({
    dataDir: location,
    wasmModule: await compilePgliteModule(),
    postgresqlconf: EMBEDDED_SETTINGS,
    ...(options.loadDataDir ? { loadDataDir: await options.loadDataDir.arrayBuffer() } : {}),
  });
  // drizzle's PGlite driver calls only query() and transaction(), which the thread offers.
  const db = drizzlePglite({ client: thread as unknown as PGlite }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    // PGlite is one connection: its own mutex serialises transactions and
    // makes plain queries wait for an open transaction to finish.
    transaction: (fn) => db.transaction(fn),
    runPrepared: (statement, params) => thread.runPrepared(statement, params.map(toProtocolParam)),
    // Unsubscribing after close and closing twice do nothing: the thread knows it has stopped.
    listen: (channel, onNotify) => thread.listen(channel, onNotify),
    close: () => thread.close(),
  };
}

/**
 * PGlite touches every page of its shared buffers at start, so they count in full towards the
 * resident size: PostgreSQL's default 128 MB would double it. 8 MB (1,024 pages) measured no
 * slower than 16 MB on the benchmarks; the operating system caches the data files anyway. 4 MB
 * saved 4 MB more but cost a fifth of the durable-async throughput (1,359 → 1,102 runs/s). One
 * connection ever exists; the default of 100 sizes per-backend arrays and the lock table for them
 * (a few MB). 5 still leaves the lock table room for migrations that create every table of the
 * schema in one transaction.
 */
const EMBEDDED_SETTINGS = ['shared_buffers=8MB', 'max_connections=5'];

/** A prepared statement's parameter in the wire protocol's terms: bytes go in binary format, the rest as text. */
function toProtocolParam(value: unknown): string | Uint8Array | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Measured on an idle server: the optimising tier (TurboFan) compiles PGlite's hot functions
 * through about 50 MB of compiler memory that the allocator keeps afterwards, so the process sat
 * at 270–290 MB instead of about 200. The flag is process-wide and must be set before PGlite
 * compiles its module (once per process); PGlite is the only WebAssembly Weft runs.
 */
function useBaselineWasmCompilerOnly(): void {
  setFlagsFromString('--liftoff-only');
}

type PgliteModule = NonNullable<PGliteOptions['pgliteWasmModule']>;
// Node has WebAssembly at run time; the project's type libraries (no DOM) only declare its types.
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<PgliteModule> } }).WebAssembly;
let pgliteModule: Promise<PgliteModule> | undefined;

/**
 * Compiles PGlite's WebAssembly once per process (tests open many databases). Left to itself,
 * PGlite reads the 9 MB file and keeps the buffer reachable until its start-up finishes, long
 * enough for the garbage collector to move it to the old generation, which an idle server never
 * collects: the file stayed resident for the life of the process. Here the buffer is garbage as
 * soon as V8 has copied it, and the next young-generation collection frees it.
 */
export function compilePgliteModule(): Promise<PgliteModule> {
  pgliteModule ??= wasm.compile(readFileSync(join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), 'pglite.wasm')));
  return pgliteModule;
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  // Loaded only for a server: `pg` probes for Cloudflare's runtime when imported, which makes Node
  // load its whole fetch implementation (undici) at start-up, in embedded mode too.
  const [{ default: postgres }, { drizzle: drizzlePostgres }] = await Promise.all([import('pg'), import('drizzle-orm/node-postgres')]);
  const pool = new postgres.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  pool.on('error', (error) => options.logger?.error({ err: error }, 'idle PostgreSQL client failed'));
  const probe = await pool.connect(); // fail at boot, not at the first request
  probe.release();
  const db = drizzlePostgres(pool) as unknown as Db;
  const listeners = new Set<pg.PoolClient>();
  return {
    kind: 'postgres',
    db,
    transaction: (fn) => db.transaction(fn),
    async runPrepared(statement, params) {
      const result = await pool.query({ name: statement.name, text: statement.text, values: params });
      return { affectedRows: result.rowCount ?? 0, rows: result.rows as Record<string, unknown>[] };
    },
    async listen(channel, onNotify) {
      const client = await pool.connect();
      listeners.add(client);
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      return async () => {
        if (!listeners.delete(client)) return;
        await client.query(`UNLISTEN ${quoteIdentifier(channel)}`).catch(() => undefined);
        client.release();
      };
    },
    async close() {
      for (const client of listeners) client.release();
      listeners.clear();
      await pool.end();
    },
  };
}

/** Runs a raw statement and returns its rows, on either driver. */
export async function queryRows<T>(executor: DbExecutor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export function quoteIdentifier(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}
