import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations, openDatabase } from '@weft/db';
import { quoteIdentifier } from '@weft/db';
import { loadTestConfig } from './test-config';

/**
 * Migrates one template database per test run; every test file then gets a
 * fresh copy in milliseconds instead of migrating its own:
 * - PGlite: the migrated data dir is dumped to a file and loaded per test file;
 * - PostgreSQL (DATABASE_URL set): a template database cloned with
 *   CREATE DATABASE … TEMPLATE, dropped again at the end of the run.
 */
export const MIGRATIONS_DIR = resolve(import.meta.dirname, '../../../migrations');

export default async function setup(project: TestProject) {
  const config = loadTestConfig();
  if (config.databaseUrl) {
    const templateName = `weft_tpl_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: config.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdentifier(templateName)}`);
    const templateUrl = withDatabase(config.databaseUrl, templateName);
    const database = await openDatabase({ databaseUrl: templateUrl, poolSize: 1 });
    await applyMigrations(database, MIGRATIONS_DIR);
    await database.close();
    project.provide('databaseTemplate', { kind: 'postgres', name: templateName, adminUrl: config.databaseUrl });
    return async () => {
      const leftovers = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1`,
        [`weft_t_${process.pid}_%`],
      );
      for (const row of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(row.datname)} WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(templateName)} WITH (FORCE)`);
      await admin.end();
    };
  }
  const database = await openDatabase({ dataDir: 'memory://' });
  await applyMigrations(database, MIGRATIONS_DIR);
  const client = (database as unknown as { db: { $client: { dumpDataDir(c: 'none'): Promise<Blob> } } }).db.$client;
  const dump = await client.dumpDataDir('none');
  await database.close();
  const folder = mkdtempSync(join(tmpdir(), 'weft-template-'));
  const path = join(folder, 'template.tar');
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  project.provide('databaseTemplate', { kind: 'pglite', path });
  return () => rmSync(folder, { recursive: true, force: true });
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
