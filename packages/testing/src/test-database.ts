import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { newId } from '@weft/kernel';
import { openDatabase, quoteIdentifier, type Database } from '@weft/db';
import { withDatabase } from './database-template.global-setup';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplate:
      | { kind: 'pglite'; path: string }
      | { kind: 'postgres'; name: string; adminUrl: string };
  }
}

export interface TestDatabase extends Database {
  /** Connection string of this test's own database (PostgreSQL only), for a second process or pool. */
  url?: string;
  /** Opens another, independent connection pool to the same database (PostgreSQL only). */
  openAnother(): Promise<Database>;
}

let templateBlob: Blob | undefined;

/**
 * A fresh, migrated database for one test file (or test): a PGlite loaded
 * from the run's template dump, or a new PostgreSQL database cloned from the
 * template. `close()` drops what it created.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('databaseTemplate');
  if (template.kind === 'pglite') {
    templateBlob ??= new Blob([readFileSync(template.path)]);
    const database = await openDatabase({ dataDir: 'memory://', loadDataDir: templateBlob });
    return {
      ...database,
      async openAnother() {
        throw new Error('PGlite is a single connection; a second pool needs PostgreSQL');
      },
    };
  }
  const name = `weft_t_${process.ppid}_${newId().replace(/-/g, '').slice(-12)}`;
  const admin = new pg.Client({ connectionString: template.adminUrl });
  await admin.connect();
  try {
    await createFromTemplate(admin, name, template.name);
  } finally {
    await admin.end();
  }
  const url = withDatabase(template.adminUrl, name);
  const database = await openDatabase({ databaseUrl: url, poolSize: 5 });
  const others: Database[] = [];
  return {
    ...database,
    url,
    async openAnother() {
      const other = await openDatabase({ databaseUrl: url, poolSize: 5 });
      others.push(other);
      return other;
    },
    async close() {
      for (const other of others) await other.close();
      await database.close();
      const dropper = new pg.Client({ connectionString: template.adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/**
 * A database with nothing in it (no migrations applied), on the same engine
 * as the run's template: for tests of the migrations themselves.
 */
export async function createEmptyTestDatabase(): Promise<Database> {
  const template = inject('databaseTemplate');
  if (template.kind === 'pglite') return openDatabase({ dataDir: 'memory://' });
  const name = `weft_e_${process.ppid}_${newId().replace(/-/g, '').slice(-12)}`;
  const admin = new pg.Client({ connectionString: template.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE template0`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ databaseUrl: withDatabase(template.adminUrl, name), poolSize: 2 });
  return {
    ...database,
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: template.adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** CREATE DATABASE … TEMPLATE fails while another backend copies the same template; retry briefly. */
async function createFromTemplate(admin: pg.Client, name: string, template: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await admin.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`);
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + attempt * 25));
    }
  }
}
