import { AppError } from '@weft/kernel';
import ivm from 'isolated-vm';
import { EngineErrors } from '../engine.errors';
import type { CodeFetchRequest, CodeFetchResponse, CodeLogEntry, CodeSandbox, RunCodeRequest, RunCodeResult } from '../node-services';
import { wrapUserCode, type SandboxReply } from './sandbox-script';

export interface CodeSandboxOptions {
  /** Heap limit of each isolate. Default 64 MB. */
  readonly memoryLimitMb?: number;
  /** Wall-clock limit of a code step, and the most a node may ask for. Default 10 s. */
  readonly timeoutMs?: number;
  /** Isolates alive at once (one per key); idle ones are evicted least recently used first. Default 16. */
  readonly maxIsolates?: number;
}

/**
 * Isolates pooled by key (the host passes a workspace id): code of one key
 * never shares an isolate, so never a heap or a memory budget, with another.
 * Hand `forKey(workspaceId)` to a run as `services.sandbox`; the pool itself
 * runs everything under one "default" key.
 */
export interface CodeSandboxPool extends CodeSandbox {
  forKey(key: string): CodeSandbox;
  readonly isolateCount: number;
  /** Disposes every isolate; later calls fail. Call on shutdown. */
  dispose(): void;
}

interface PooledIsolate {
  readonly key: string;
  readonly isolate: ivm.Isolate;
  activeSteps: number;
}

const DEFAULT_KEY = 'default';

export function createCodeSandbox(options: CodeSandboxOptions = {}): CodeSandboxPool {
  const memoryLimitMb = options.memoryLimitMb ?? 64;
  const maxTimeoutMs = options.timeoutMs ?? 10_000;
  const maxIsolates = options.maxIsolates ?? 16;
  // Map order is use order: the first entry is the least recently used.
  const pool = new Map<string, PooledIsolate>();
  let isDisposed = false;

  function acquire(key: string): PooledIsolate {
    if (isDisposed) throw new AppError(EngineErrors.ENGINE_SANDBOX_BUSY, 'The code sandbox has been shut down');
    const existing = pool.get(key);
    pool.delete(key);
    if (existing !== undefined && !existing.isolate.isDisposed) {
      pool.set(key, existing);
      return existing;
    }
    if (pool.size >= maxIsolates) evictIdle();
    const entry: PooledIsolate = { key, isolate: new ivm.Isolate({ memoryLimit: memoryLimitMb }), activeSteps: 0 };
    pool.set(key, entry);
    return entry;
  }

  function evictIdle(): void {
    for (const entry of pool.values()) {
      if (entry.activeSteps > 0 && !entry.isolate.isDisposed) continue;
      discard(entry);
      return;
    }
    throw new AppError(EngineErrors.ENGINE_SANDBOX_BUSY, `All ${maxIsolates} code isolates are busy; try again shortly`);
  }

  /** A limit hit leaves an isolate in an unknown state: it is disposed, and the next step of its key gets a fresh one. */
  function discard(entry: PooledIsolate): void {
    if (pool.get(entry.key) === entry) pool.delete(entry.key);
    if (!entry.isolate.isDisposed) entry.isolate.dispose();
  }

  async function runCode(key: string, request: RunCodeRequest): Promise<RunCodeResult> {
    request.signal?.throwIfAborted();
    const timeoutMs = Math.max(1, Math.min(request.timeoutMs ?? maxTimeoutMs, maxTimeoutMs));
    const entry = acquire(key);
    entry.activeSteps++;
    let context: ivm.Context | undefined;
    let stopReason: 'timeout' | 'cancel' | undefined;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let fetchBridge: ivm.Reference | undefined;
    try {
      const execution = (async () => {
        context = await entry.isolate.createContext();
        // A Reference (not a Callback) so the isolate can await the host's promise.
        fetchBridge = request.fetch === undefined ? undefined : new ivm.Reference(bridgeFetch(request.fetch));
        const args = [new ivm.ExternalCopy(request.input ?? null).copyInto(), new ivm.ExternalCopy(request.nodes).copyInto(), fetchBridge];
        // `timeout` stops synchronous code inside V8; the timer below also covers time spent between awaits.
        return context.evalClosure(wrapUserCode(request.code), args, { timeout: timeoutMs, filename: 'code.js', lineOffset: -1, result: { copy: true, promise: true } });
      })();
      const limits = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          stopReason = 'timeout';
          reject(new Error('timed out'));
        }, timeoutMs);
        onAbort = () => {
          stopReason = 'cancel';
          reject(request.signal?.reason instanceof Error ? request.signal.reason : new Error('aborted'));
        };
        request.signal?.addEventListener('abort', onAbort, { once: true });
      });
      const raw: unknown = await Promise.race([execution, limits]);
      return readReply(raw);
    } catch (error) {
      if (stopReason === 'cancel') throw error;
      const failure = describeFailure(error, entry, stopReason, timeoutMs, memoryLimitMb);
      if (failure.code === EngineErrors.ENGINE_CODE_TIMEOUT) stopReason = 'timeout';
      throw failure;
    } finally {
      clearTimeout(timer);
      if (onAbort !== undefined) request.signal?.removeEventListener('abort', onAbort);
      entry.activeSteps--;
      fetchBridge?.release();
      // Stopped code may have left the heap in any state (half-run loops, huge arrays): start clean.
      if (stopReason !== undefined || entry.isolate.isDisposed) discard(entry);
      else context?.release();
    }
  }

  const forKey = (key: string): CodeSandbox => ({ runCode: (request) => runCode(key, request) });
  return {
    runCode: (request) => runCode(DEFAULT_KEY, request),
    forKey,
    get isolateCount() {
      return pool.size;
    },
    dispose() {
      isDisposed = true;
      for (const entry of [...pool.values()]) discard(entry);
    },
  };
}

function bridgeFetch(fetch: (request: CodeFetchRequest) => Promise<CodeFetchResponse>) {
  // Only plain copies cross the boundary: the isolate never holds a host object.
  return async (request: CodeFetchRequest): Promise<CodeFetchResponse> => {
    const response = await fetch(request);
    return { status: response.status, headers: { ...response.headers }, text: response.text };
  };
}

function readReply(raw: unknown): RunCodeResult {
  const reply = JSON.parse(String(raw)) as SandboxReply;
  const logs: CodeLogEntry[] = reply.logs.map((entry) => ({ level: entry.level as CodeLogEntry['level'], message: entry.message }));
  if (reply.droppedLogs > 0) logs.push({ level: 'warn', message: `${reply.droppedLogs} more log lines were dropped` });
  if (reply.ok) return { result: reply.result ?? null, logs };
  const { name, message, stack } = reply.error ?? { name: 'Error', message: 'unknown error' };
  throw new AppError(EngineErrors.ENGINE_CODE_FAILED, `${name}: ${message}`, { logs, ...(stack === undefined ? {} : { stack: cutStack(stack) }) });
}

/** The user's frames only: the wrapper's and isolated-vm's say nothing to them. */
function cutStack(stack: string): string {
  return stack
    .split('\n')
    .filter((line, index) => index === 0 || line.includes('code.js'))
    .slice(0, 10)
    .join('\n');
}

function describeFailure(error: unknown, entry: PooledIsolate, stopReason: 'timeout' | undefined, timeoutMs: number, memoryLimitMb: number): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (stopReason === 'timeout' || /timed out/i.test(message)) {
    return new AppError(EngineErrors.ENGINE_CODE_TIMEOUT, `The code ran longer than its ${timeoutMs} ms limit and was stopped`, { timeoutMs });
  }
  if (/memory limit/i.test(message)) {
    return new AppError(EngineErrors.ENGINE_CODE_MEMORY_LIMIT, `The code used more than its ${memoryLimitMb} MB memory limit and was stopped`, {
      memoryLimitMb,
    });
  }
  if (entry.isolate.isDisposed) {
    return new AppError(EngineErrors.ENGINE_SANDBOX_BUSY, 'The sandbox was reset while this code ran (another step of the same workspace hit a limit); run it again');
  }
  // Compile errors come from the host side of isolated-vm, named but without the name in the message.
  const name = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : '';
  return new AppError(EngineErrors.ENGINE_CODE_FAILED, `${name}${message}`);
}
