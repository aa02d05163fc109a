import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, pendingMigrations, queryRows, readMigrations, type Database } from '@weft/db';
import { createEmptyTestDatabase } from '@weft/testing';
import { MIGRATIONS_DIR } from './platform';

/**
 * Upgrading a database that already holds data: the schema as it was at an
 * earlier release (migrations up to 0005, the end of the first session) is
 * filled with rows, then the current migrations are applied on top. Nothing
 * is lost and the old rows work with the new constraints.
 */
const EARLIER_RELEASE_LAST_INDEX = 5;

/** A copy of the migrations folder whose journal stops at `lastIndex`. */
function migrationsUpTo(lastIndex: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-migrations-'));
  mkdirSync(join(dir, 'meta'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  journal.entries = journal.entries.filter((entry) => entry.idx <= lastIndex);
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
  for (const entry of journal.entries) copyFileSync(join(MIGRATIONS_DIR, `${entry.tag}.sql`), join(dir, `${entry.tag}.sql`));
  return dir;
}

let database: Database;
beforeAll(async () => {
  database = await createEmptyTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const USER = '01930000-0000-7000-8000-000000000001';
const RUN = '01930000-0000-7000-8000-0000000000a1';

describe('upgrading a database with data', () => {
  it('applies every later migration on top of an earlier release without losing or breaking rows', async () => {
    const earlier = await applyMigrations(database, migrationsUpTo(EARLIER_RELEASE_LAST_INDEX));
    expect(earlier).toHaveLength(EARLIER_RELEASE_LAST_INDEX + 1);
    await database.db.execute(sql`
      INSERT INTO users (id, email, username, username_lower, referral_code, created_at)
      VALUES (${USER}, 'ada@example.org', 'Ada', 'ada', 'ADA-REF-1', now())`);
    await database.db.execute(sql`
      INSERT INTO email_tokens (id, user_id, purpose, token_hash, created_at, expires_at)
      VALUES ('01930000-0000-7000-8000-0000000000e1', ${USER}, 'verify-email', 'hash-1', now(), now() + interval '1 day')`);
    await database.db.execute(sql`
      INSERT INTO runs (id, workspace_id, workflow_id, version_id, version_number, status, trigger_kind, input, timeout_ms)
      VALUES (${RUN}, ${USER}, ${USER}, ${USER}, 1, 'queued', 'webhook', '{"a":41}', 30000)`);
    await database.db.execute(sql`
      INSERT INTO run_steps (run_id, node_id, status, output, attempts, started_at, finished_at)
      VALUES (${RUN}, 'hook', 'succeeded', '{"a":41}', 1, now(), now())`);

    const later = await applyMigrations(database, MIGRATIONS_DIR);
    expect(later).toEqual(readMigrations(MIGRATIONS_DIR).slice(EARLIER_RELEASE_LAST_INDEX + 1).map((migration) => migration.tag));
    expect(await pendingMigrations(database, MIGRATIONS_DIR)).toEqual([]);

    const [user] = await queryRows<{ email: string }>(database.db, sql`SELECT email FROM users WHERE id = ${USER}`);
    expect(user!.email).toBe('ada@example.org');
    const [token] = await queryRows<{ new_email: string | null }>(database.db, sql`SELECT new_email FROM email_tokens WHERE user_id = ${USER}`);
    expect(token!.new_email).toBeNull();
    const [step] = await queryRows<{ output: unknown; wait: unknown }>(database.db, sql`SELECT output, wait FROM run_steps WHERE run_id = ${RUN}`);
    expect(step).toEqual({ output: { a: 41 }, wait: null });
    // An old run takes the new states.
    await database.db.execute(sql`UPDATE runs SET status = 'waiting', wait_node_id = 'hook' WHERE id = ${RUN}`);
    const [run] = await queryRows<{ status: string; input: unknown }>(database.db, sql`SELECT status, input FROM runs WHERE id = ${RUN}`);
    expect(run).toEqual({ status: 'waiting', input: { a: 41 } });
    // Applying again is a no-op.
    expect(await applyMigrations(database, MIGRATIONS_DIR)).toEqual([]);
  });
});
