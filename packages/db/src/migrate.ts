import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Database } from './database';

/**
 * Applies drizzle-kit's checked-in SQL migrations, forward only. Each
 * migration runs in its own transaction together with its bookkeeping row,
 * and an advisory lock keeps two processes booting at once from racing.
 */
const Journal = z.object({
  entries: z.array(z.object({ idx: z.number(), tag: z.string(), when: z.number() })),
});

export interface Migration {
  tag: string;
  statements: string[];
}

const MIGRATION_LOCK = 7_301_946_211; // any constant shared by every Weft process

export function readMigrations(migrationsDir: string): Migration[] {
  const journalPath = join(migrationsDir, 'meta', '_journal.json');
  if (!existsSync(journalPath)) return [];
  const journal = Journal.parse(JSON.parse(readFileSync(journalPath, 'utf8')));
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map((entry) => ({
      tag: entry.tag,
      statements: readFileSync(join(migrationsDir, `${entry.tag}.sql`), 'utf8')
        .split('--> statement-breakpoint')
        .map((statement) => statement.trim())
        .filter(Boolean),
    }));
}

async function ensureBookkeeping(database: Database): Promise<void> {
  await database.db.execute(
    sql`CREATE TABLE IF NOT EXISTS weft_migrations (tag text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
}

export async function appliedMigrationTags(database: Database): Promise<Set<string>> {
  const exists = await queryRows<{ present: boolean }>(
    database.db,
    sql`SELECT to_regclass('weft_migrations') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return new Set();
  const rows = await queryRows<{ tag: string }>(database.db, sql`SELECT tag FROM weft_migrations`);
  return new Set(rows.map((row) => row.tag));
}

/** Returns the tags it applied, in order. */
export async function applyMigrations(database: Database, migrationsDir: string): Promise<string[]> {
  // The usual boot finds nothing to do: one read instead of a locked transaction per migration.
  const alreadyApplied = await appliedMigrationTags(database);
  const pending = readMigrations(migrationsDir).filter((migration) => !alreadyApplied.has(migration.tag));
  if (pending.length === 0) return [];
  await ensureBookkeeping(database);
  const applied: string[] = [];
  for (const migration of pending) {
    const didApply = await database.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      const done = await queryRows(tx, sql`SELECT 1 FROM weft_migrations WHERE tag = ${migration.tag}`);
      if (done.length > 0) return false;
      for (const statement of migration.statements) await tx.execute(sql.raw(statement));
      await tx.execute(sql`INSERT INTO weft_migrations (tag) VALUES (${migration.tag})`);
      return true;
    });
    if (didApply) applied.push(migration.tag);
  }
  return applied;
}

export async function pendingMigrations(database: Database, migrationsDir: string): Promise<string[]> {
  const applied = await appliedMigrationTags(database);
  return readMigrations(migrationsDir)
    .map((m) => m.tag)
    .filter((tag) => !applied.has(tag));
}
