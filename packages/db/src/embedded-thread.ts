import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runEmbeddedThread, type CopiedError, type EmbeddedMessage, type EmbeddedRequest, type EmbeddedThreadData } from './embedded-thread-worker';

type RequestBody = EmbeddedRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The part of PGlite's query result drizzle reads. */
export interface EmbeddedResults {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

export interface EmbeddedQueryClient {
  query(sql: string, params?: unknown[], options?: { rowMode?: 'array' | 'object' }): Promise<EmbeddedResults>;
}

/** A statement the database parses once per connection and then only binds and runs. */
export interface PreparedStatement {
  /** Unique across the code base: the database keeps it under this name. */
  name: string;
  text: string;
}

/** What a prepared statement returns: the rows it affected, and the rows it returned (RETURNING, SELECT). */
export interface PreparedResult {
  affectedRows: number;
  /** Column name to value: text on the embedded database, the `pg` driver's types on PostgreSQL. */
  rows: Record<string, unknown>[];
}

/**
 * PGlite on a thread of its own, behind the part of PGlite's client API that
 * drizzle uses (query, transaction) plus listen, dumps and prepared
 * statements. Requests are answered in the order the thread finishes them;
 * PGlite's own locks keep the order of statements and make plain queries
 * wait for an open transaction, as on the main thread.
 */
export class EmbeddedDatabaseThread implements EmbeddedQueryClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly #listeners = new Map<number, (payload: string) => void>();
  #nextId = 1;
  #stopped: Error | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (message: EmbeddedMessage) => this.#receive(message));
    worker.on('error', (error) => this.#failAll(new Error(`The embedded database thread failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => this.#failAll(new Error(`The embedded database thread stopped (exit code ${code})`)));
  }

  static async start(data: EmbeddedThreadData): Promise<EmbeddedDatabaseThread> {
    const worker = new Worker(threadSource(), {
      eval: true,
      workerData: data,
      transferList: data.loadDataDir ? [data.loadDataDir] : [],
      // Statements allocate little on this thread's JavaScript heap (PostgreSQL's memory is the
      // WebAssembly heap): the smallest young generation keeps its footprint down.
      resourceLimits: { maxYoungGenerationSizeMb: 1 },
    });
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`The embedded database thread stopped while starting (exit code ${code})`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (message: EmbeddedMessage) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        if ('startFailed' in message) {
          void worker.terminate();
          reject(toError(message.startFailed));
        } else resolve();
      });
    });
    worker.unref();
    return new EmbeddedDatabaseThread(worker);
  }

  query(sql: string, params: unknown[] = [], options: { rowMode?: 'array' | 'object' } = {}): Promise<EmbeddedResults> {
    return this.#request({ op: 'query', sql, params, rowMode: options.rowMode ?? 'object' }) as Promise<EmbeddedResults>;
  }

  /** Runs `fn` in one transaction on the thread; a throw rolls it back. */
  async transaction<T>(fn: (tx: EmbeddedQueryClient) => Promise<T>): Promise<T> {
    const tx = (await this.#request({ op: 'begin' })) as number;
    let result: T;
    try {
      result = await fn({
        query: (sql, params = [], options = {}) =>
          this.#request({ op: 'query', sql, params, rowMode: options.rowMode ?? 'object', tx }) as Promise<EmbeddedResults>,
      });
    } catch (error) {
      await this.#request({ op: 'end', tx, commit: false }).catch(() => undefined); // the thread is gone: nothing to roll back
      throw error;
    }
    await this.#request({ op: 'end', tx, commit: true });
    return result;
  }

  /** Runs a prepared statement; parameters are text, or binary when a Uint8Array (jsonbParam). Rows come as text. */
  async runPrepared(statement: PreparedStatement, params: (string | Uint8Array | null)[]): Promise<PreparedResult> {
    return (await this.#request({ op: 'prepared', name: statement.name, sql: statement.text, params })) as PreparedResult;
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const listenId = (await this.#request({ op: 'listen', channel })) as number;
    this.#listeners.set(listenId, onNotify);
    return async () => {
      if (!this.#listeners.delete(listenId) || this.#stopped) return;
      await this.#request({ op: 'unlisten', listenId });
    };
  }

  /** The data dir as an uncompressed tar (PGlite's dumpDataDir). */
  async dumpDataDir(): Promise<Blob> {
    return new Blob([(await this.#request({ op: 'dump' })) as ArrayBuffer]);
  }

  /**
   * Closes PGlite (it waits for the transaction in progress), then ends the thread. A close that
   * has not finished after `timeoutMs` (a transaction left open) ends the thread anyway: a stopping
   * server must exit, and PostgreSQL recovers from its WAL at the next start as after a crash.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.#stopped) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    try {
      await Promise.race([this.#request({ op: 'close' }), timedOut]);
    } finally {
      clearTimeout(timer);
      this.#stopped = new Error('The embedded database is closed');
      await this.#worker.terminate();
    }
  }

  #request(body: RequestBody): Promise<unknown> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      // The thread keeps the process alive only while an answer is awaited, as a socket would.
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...body, id } as EmbeddedRequest);
    });
  }

  #receive(message: EmbeddedMessage): void {
    if ('notify' in message) {
      this.#listeners.get(message.notify)?.(message.payload);
      return;
    }
    if (!('id' in message)) return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (message.error) pending.reject(toError(message.error));
    else pending.resolve(message.result);
  }

  #failAll(error: Error): void {
    this.#stopped ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

/** A database error from the thread as callers check it: message, code, constraint… (stack from the thread). */
function toError(copy: CopiedError): Error {
  return Object.assign(new Error(copy.message), copy);
}

let source: string | undefined;

/**
 * The thread's program: PGlite's ES module loaded by URL, then runEmbeddedThread
 * as source text. Not a file of its own, so that the bundled server and the
 * TypeScript sources under test start it the same way.
 */
function threadSource(): string {
  const pgliteUrl = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), 'index.js')).href;
  source ??= `const threads = require('node:worker_threads');
import(${JSON.stringify(pgliteUrl)}).then((pglite) => (${runEmbeddedThread.toString()})(threads, pglite));`;
  return source;
}
