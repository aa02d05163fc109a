export interface BatchWriterOptions<T, R> {
  /** Longest an item waits for company before its batch is written. */
  maxDelayMs: number;
  /** A batch this large is written at once. */
  maxItems: number;
  /** Batches written at the same time; more items wait and join the next batch. */
  maxConcurrentWrites?: number;
  /**
   * Write at once (next event-loop turn) when no batch is being written,
   * instead of waiting `maxDelayMs` for company: callers that wait on each
   * write gain its latency, and under load items still gather behind the
   * writes in flight.
   */
  flushWhenIdle?: boolean;
  /** Writes a batch; returns one result per item, in order, or an Error for an item that failed. */
  write(items: T[]): Promise<(R | Error)[]>;
}

export interface BatchWriter<T, R> {
  /** Resolves once the item's batch is written (committed), with its result. */
  submit(item: T): Promise<R>;
  /** Writes what is waiting now and resolves when every batch in flight is done. */
  drain(): Promise<void>;
  readonly pendingCount: number;
}

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: callers that arrive while a write is in flight (or within
 * `maxDelayMs` when writes are running below their limit) share one
 * transaction; an idle writer writes at once. Each caller still waits for its own commit, so
 * nothing is acknowledged before it is durable, and a failed batch rejects
 * only the items it holds.
 */
export function createBatchWriter<T, R>(options: BatchWriterOptions<T, R>): BatchWriter<T, R> {
  const maxConcurrent = options.maxConcurrentWrites ?? 2;
  let waiting: Waiting<T, R>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let writesInFlight = 0;
  const inFlight = new Set<Promise<void>>();

  function schedule(): void {
    if (waiting.length === 0) return;
    if (waiting.length >= options.maxItems) {
      flush();
      return;
    }
    // Nothing being written: go as soon as this turn of the event loop has queued what it will.
    // Under load, writes are in flight and items gather behind them; each finished write takes the next batch.
    if (options.flushWhenIdle === true && writesInFlight === 0) {
      immediate ??= setImmediate(() => {
        immediate = undefined;
        flush();
      });
      return;
    }
    timer ??= setTimeout(() => {
      timer = undefined;
      flush();
    }, options.maxDelayMs);
  }

  function flush(): void {
    if (waiting.length === 0 || writesInFlight >= maxConcurrent) return;
    clearTimeout(timer);
    timer = undefined;
    if (immediate !== undefined) clearImmediate(immediate);
    immediate = undefined;
    const batch = waiting.slice(0, options.maxItems);
    waiting = waiting.slice(batch.length);
    writesInFlight++;
    const done = writeBatch(batch).finally(() => {
      writesInFlight--;
      inFlight.delete(done);
      // Items that queued up behind a full set of writes go out at once: they have waited already.
      if (waiting.length > 0) flush();
    });
    inFlight.add(done);
    if (waiting.length > 0) schedule();
  }

  async function writeBatch(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await options.write(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => {
        const result = results[index];
        if (result instanceof Error) entry.reject(result);
        else entry.resolve(result as R);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        schedule();
      });
    },
    async drain() {
      while (waiting.length > 0 || inFlight.size > 0) {
        flush();
        await Promise.all([...inFlight]);
      }
    },
    get pendingCount() {
      return waiting.length + writesInFlight;
    },
  };
}
