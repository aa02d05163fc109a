import type * as WorkerThreads from 'node:worker_threads';
import type * as Pglite from '@electric-sql/pglite';

/** What the main thread hands the embedded database's thread when it starts it. */
export interface EmbeddedThreadData {
  /** Folder of the data files, or undefined for an in-memory database. */
  dataDir: string | undefined;
  /** PGlite's WebAssembly, compiled once per process (a compiled module crosses threads without a copy). */
  wasmModule: unknown;
  postgresqlconf: string[];
  /** A data dir dump to start from (tests clone a migrated template). */
  loadDataDir?: ArrayBuffer;
}

/** The part of Emscripten's in-memory file system that releaseFileBundle uses. */
interface EmscriptenFs {
  analyzePath(path: string): { exists: boolean; object?: { contents?: unknown } };
  readdir(path: string): string[];
  lookupPath(path: string): { node: { mode: number; contents: unknown; usedBytes: number } };
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  unlink(path: string): void;
}

/** A request to the thread; every one gets exactly one reply with the same id. */
export type EmbeddedRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[]; rowMode: 'array' | 'object'; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'prepared'; name: string; sql: string; params: (string | Uint8Array | null)[] }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'unlisten'; listenId: number }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

/** An error as it crosses threads: its message and the primitive fields callers read (code, constraint…). */
export type CopiedError = Record<string, string | number | boolean | undefined> & { message: string };

export type EmbeddedMessage =
  | { ready: true }
  | { startFailed: CopiedError }
  | { id: number; result?: unknown; error?: CopiedError }
  | { notify: number; payload: string };

/**
 * The body of the embedded database's thread. It runs in a worker thread
 * that receives it as source text (see embedded-thread.ts), so it imports
 * nothing and uses only its arguments: the worker_threads module and
 * PGlite's exports.
 *
 * Why a thread: PGlite is PostgreSQL compiled to WebAssembly and runs on the
 * thread that calls it. On the main thread every statement's execution
 * blocked HTTP parsing, routing and the workflow executor; here the two
 * overlap on the machine's cores.
 */
export function runEmbeddedThread(threads: typeof WorkerThreads, pglite: typeof Pglite): void {
  const port = threads.parentPort!;
  const data = threads.workerData as EmbeddedThreadData;
  const { PGlite, types } = pglite;
  const keepText = (value: string) => value;
  // drizzle's own parsers for the pglite driver: dates and intervals stay text (they cannot be functions here).
  const parsers = Object.fromEntries(
    [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map((oid) => [oid, keepText]),
  );
  const jsonb = types.serializers[types.JSONB]!;
  const ROLLBACK = Symbol('rollback');
  const RELEASE_FILE_BUNDLE_AFTER_MS = 1_000;
  const encoder = new TextEncoder();

  function copyError(error: unknown): CopiedError {
    const copy: CopiedError = { message: String(error) };
    if (error && typeof error === 'object') {
      for (const [key, value] of Object.entries(error)) {
        if (value === undefined || ['string', 'number', 'boolean'].includes(typeof value)) copy[key] = value as string;
      }
      const { message, name, stack } = error as Error;
      Object.assign(copy, { message: String(message ?? error), name, stack });
    }
    return copy;
  }

  function send(message: EmbeddedMessage, transfer?: ArrayBuffer[]): void {
    try {
      port.postMessage(message, transfer);
    } catch (error) {
      // A result that cannot be copied must still answer its caller, or the caller waits forever.
      if ('id' in message) port.postMessage({ id: message.id, error: copyError(error) });
    }
  }

  // The extended query protocol by hand (Parse once, then Bind, Describe, Execute, Sync): one call into
  // PostgreSQL per statement instead of the six PGlite's query() makes.
  function frame(type: string, parts: Uint8Array[]): Uint8Array {
    const length = parts.reduce((sum, part) => sum + part.length, 4);
    const bytes = new Uint8Array(length + 1);
    bytes[0] = type.charCodeAt(0);
    new DataView(bytes.buffer).setInt32(1, length);
    let offset = 5;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    return bytes;
  }
  const cString = (text: string) => encoder.encode(text + '\0');
  const int16 = (value: number) => new Uint8Array([(value >> 8) & 0xff, value & 0xff]);
  const int32 = (value: number) => {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setInt32(0, value);
    return bytes;
  };
  function bindMessage(name: string, params: (string | Uint8Array | null)[]): Uint8Array {
    const parts: Uint8Array[] = [cString(''), cString(name), int16(params.length)];
    for (const param of params) parts.push(int16(param instanceof Uint8Array ? 1 : 0));
    parts.push(int16(params.length));
    for (const param of params) {
      if (param === null) parts.push(int32(-1));
      else {
        const bytes = param instanceof Uint8Array ? param : encoder.encode(param);
        parts.push(int32(bytes.length), bytes);
      }
    }
    parts.push(int16(0)); // results in text
    return frame('B', parts);
  }
  // Describe the portal: its RowDescription names the columns of the rows it returns.
  const DESCRIBE = frame('D', [encoder.encode('P'), cString('')]);
  const EXECUTE = frame('E', [cString(''), int32(0)]);
  const SYNC = frame('S', []);
  function concat(messages: Uint8Array[]): Uint8Array {
    const bytes = new Uint8Array(messages.reduce((sum, message) => sum + message.length, 0));
    let offset = 0;
    for (const message of messages) {
      bytes.set(message, offset);
      offset += message.length;
    }
    return bytes;
  }

  /**
   * Files of PGlite's bundle a started server never reads: initdb's catalog and scripts, build
   * tooling, the replication client, and conversions to client encodings other than UTF-8 (PGlite's
   * clients speak UTF-8).
   */
  const UNUSED_AFTER_START =
    /^\/pglite\/(share\/postgresql\/(postgres\.bki|information_schema\.sql|system_(views|functions|constraints)\.sql|snowball_create\.sql|sql_features\.txt|[^/]*\.sample)|lib\/postgresql\/(pgxs\/.*|[a-z0-9_]+_and_[a-z0-9_]+\.so|libpqwalreceiver\.so))$/;

  /**
   * PGlite unpacks its 6 MB file bundle (pglite.data) into an in-memory file system whose files are
   * views of one ArrayBuffer, which its loader keeps referenced for the life of the process. After
   * start, the files only initdb or tools read are removed, the others copied out of the bundle,
   * and the bundle's memory handed to a closed channel, which frees it without waiting for a
   * garbage collection (an idle server has none): about 3.5 MB less resident memory. Kept: the
   * libraries PostgreSQL loads on demand (plpgsql, snowball), time zones, dictionaries, ICU data.
   * A PGlite whose bundle is laid out differently is left as it is.
   */
  function releaseFileBundle(db: Pglite.PGlite): void {
    const fs = (db as unknown as { Module: { FS: EmscriptenFs } }).Module.FS;
    const probe = fs.analyzePath('/pglite/share/postgresql/postgres.bki');
    const bundle = probe.exists ? (probe.object?.contents as Uint8Array | undefined)?.buffer : undefined;
    if (!(bundle instanceof ArrayBuffer) || bundle.byteLength < 1_000_000) return;
    const visit = (dir: string): void => {
      for (const name of fs.readdir(dir)) {
        if (name === '.' || name === '..') continue;
        const path = `${dir}/${name}`;
        const node = fs.lookupPath(path).node;
        if (fs.isDir(node.mode)) visit(path);
        else if (fs.isFile(node.mode) && node.contents instanceof Uint8Array && node.contents.buffer === bundle) {
          if (UNUSED_AFTER_START.test(path)) fs.unlink(path);
          else node.contents = node.contents.slice(0, node.usedBytes);
        }
      }
    };
    visit('/pglite');
    visit('/home');
    const channel = new threads.MessageChannel();
    channel.port1.postMessage(bundle, [bundle]);
    channel.port1.close();
    channel.port2.close();
  }

  async function start() {
    const db = await PGlite.create(data.dataDir, {
      pgliteWasmModule: data.wasmModule as Pglite.PGliteOptions['pgliteWasmModule'],
      postgresqlconf: data.postgresqlconf,
      // jsonbParam's binary documents pass as they are; PGlite would otherwise turn them into text.
      serializers: { [types.JSONB]: (value: unknown) => (value instanceof Uint8Array ? value : jsonb(value)) },
      ...(data.loadDataDir ? { loadDataDir: new Blob([data.loadDataDir]) } : {}),
    } as Pglite.PGliteOptions);
    // After start-up, not during it: 80 ms of copying that the first queries need not wait for.
    // Cancelled by 'close': a database closed within that second has no file system left to release.
    const releaseTimer = setTimeout(() => releaseFileBundle(db), RELEASE_FILE_BUNDLE_AFTER_MS).unref();
    const transactions = new Map<number, { tx: Pglite.Transaction; end(commit: boolean): void; done: Promise<unknown> }>();
    const listeners = new Map<number, () => Promise<void>>();
    const prepared = new Set<string>();

    async function runPrepared(name: string, sql: string, params: (string | Uint8Array | null)[]) {
      const parse = prepared.has(name) ? [] : [frame('P', [cString(name), cString(sql), int16(0)])];
      const message = concat([...parse, bindMessage(name, params), DESCRIBE, EXECUTE, SYNC]);
      const internals = db as unknown as {
        _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
        _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
      };
      // The same locks PGlite's query() takes: it waits for an open transaction to end.
      const { messages } = await internals._runExclusiveTransaction(() =>
        internals._runExclusiveQuery(() => db.execProtocol(message, { throwOnError: false })),
      );
      let affectedRows = 0;
      let failure: unknown;
      let columns: string[] = [];
      const rows: Record<string, string | null>[] = [];
      type Reply = { name: string; text?: string; fields?: { name: string }[] | (string | null)[] };
      for (const reply of messages as unknown as Reply[]) {
        if (reply.name === 'parseComplete') prepared.add(name);
        else if (reply.name === 'rowDescription') columns = (reply.fields as { name: string }[]).map((field) => field.name);
        else if (reply.name === 'dataRow') {
          const values = reply.fields as (string | null)[];
          rows.push(Object.fromEntries(columns.map((column, index) => [column, values[index] ?? null])));
        } else if (reply.name === 'commandComplete') affectedRows = Number(/(\d+)$/.exec(reply.text ?? '')?.[1] ?? 0);
        else if (reply.name === 'error') failure = reply;
      }
      if (failure) throw failure;
      return { affectedRows, rows };
    }

    async function handle(request: EmbeddedRequest): Promise<{ result?: unknown; transfer?: ArrayBuffer[] }> {
      switch (request.op) {
        case 'query': {
          const target = request.tx === undefined ? db : transactions.get(request.tx)?.tx;
          if (!target) throw new Error('The transaction has already ended');
          const { rows, fields, affectedRows } = await target.query(request.sql, request.params, { rowMode: request.rowMode, parsers });
          return { result: { rows, fields, affectedRows } };
        }
        case 'begin': {
          const txId = request.id;
          let began!: () => void;
          const hasBegun = new Promise<void>((resolve) => (began = resolve));
          const done = db.transaction(async (tx) => {
            const ended = new Promise<boolean>((resolve) => transactions.set(txId, { tx, end: resolve, done }));
            began();
            if (!(await ended)) throw ROLLBACK;
          });
          await Promise.race([hasBegun, done]);
          return { result: txId };
        }
        case 'end': {
          const transaction = transactions.get(request.tx);
          if (!transaction) throw new Error('The transaction has already ended');
          transactions.delete(request.tx);
          transaction.end(request.commit);
          await transaction.done.catch((error: unknown) => {
            if (error !== ROLLBACK) throw error;
          });
          return {};
        }
        case 'prepared':
          return { result: await runPrepared(request.name, request.sql, request.params) };
        case 'listen': {
          const listenId = request.id;
          listeners.set(listenId, await db.listen(request.channel, (payload) => send({ notify: listenId, payload })));
          return { result: listenId };
        }
        case 'unlisten': {
          const unlisten = listeners.get(request.listenId);
          listeners.delete(request.listenId);
          await unlisten?.();
          return {};
        }
        case 'dump': {
          const dump = await (await db.dumpDataDir('none')).arrayBuffer();
          return { result: dump, transfer: [dump] };
        }
        case 'close':
          clearTimeout(releaseTimer);
          await db.close();
          return {};
      }
    }

    port.on('message', (request: EmbeddedRequest) => {
      handle(request).then(
        ({ result, transfer }) => send({ id: request.id, result }, transfer),
        (error: unknown) => send({ id: request.id, error: copyError(error) }),
      );
    });
    send({ ready: true });
  }

  start().catch((error: unknown) => send({ startFailed: copyError(error) }));
}
