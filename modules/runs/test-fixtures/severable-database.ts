import type { Database } from '@weft/db';

/**
 * A database handle that can be cut off, as a worker's connections are when
 * its process dies: every later query or transaction fails, while the same
 * database stays open for everyone else.
 */
export function createSeverableDatabase(database: Database): Database & { sever(): void } {
  let isSevered = false;
  const lost = () => new Error('connection lost (severed by the test)');
  const db = new Proxy(database.db, {
    get(target, property) {
      if (isSevered) throw lost();
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    kind: database.kind,
    db,
    transaction: (fn) => (isSevered ? Promise.reject(lost()) : database.transaction(fn)),
    runPrepared: (statement, params) => (isSevered ? Promise.reject(lost()) : database.runPrepared(statement, params)),
    listen: (channel, onNotify) => database.listen(channel, (payload) => {
      if (!isSevered) onNotify(payload);
    }),
    close: async () => undefined,
    sever() {
      isSevered = true;
    },
  };
}
