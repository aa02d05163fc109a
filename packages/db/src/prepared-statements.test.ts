import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { queryRows } from './database';
import type { PreparedStatement } from './embedded-thread';
import { jsonbParam } from './jsonb-param';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`CREATE TABLE prepared_notes (id int PRIMARY KEY, body jsonb NOT NULL, label text)`);
});
afterAll(async () => {
  await database.close();
});

const INSERT_NOTES: PreparedStatement = {
  name: 'weft_test_insert_notes',
  text: `INSERT INTO prepared_notes (id, body, label) SELECT id, body, $2 FROM jsonb_to_recordset($1::jsonb) AS n(id int, body jsonb)`,
};

/** The cause chain's database error, whichever driver (and whichever wrapper drizzle adds) raised it. */
function databaseErrorOf(error: unknown): { code?: string; constraint?: string; message: string } {
  let current = error as { cause?: unknown; code?: string };
  while (current.code === undefined && current.cause) current = current.cause as typeof current;
  return current as { code?: string; constraint?: string; message: string };
}

describe('Database.runPrepared', () => {
  it('runs the same statement many times with binary jsonb and text parameters, and counts the rows', async () => {
    const first = await database.runPrepared(INSERT_NOTES, [jsonbParam([{ id: 1, body: { n: 'é' } }, { id: 2, body: [1] }]), 'first']);
    const second = await database.runPrepared(INSERT_NOTES, [jsonbParam([{ id: 3, body: 'x' }]), null]);
    expect([first.affectedRows, second.affectedRows]).toEqual([2, 1]);
    const rows = await queryRows(database.db, sql`SELECT id, body, label FROM prepared_notes ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, body: { n: 'é' }, label: 'first' },
      { id: 2, body: [1], label: 'first' },
      { id: 3, body: 'x', label: null },
    ]);
  });

  it('fails with the database error code and constraint, writes nothing of the failed statement, and runs again afterwards', async () => {
    const failure = await database.runPrepared(INSERT_NOTES, [jsonbParam([{ id: 10, body: {} }, { id: 1, body: {} }]), 'clash']).catch((error: unknown) => error);
    expect(databaseErrorOf(failure)).toMatchObject({ code: '23505', constraint: 'prepared_notes_pkey' });
    expect(await queryRows(database.db, sql`SELECT id FROM prepared_notes WHERE id = 10`)).toEqual([]);
    expect((await database.runPrepared(INSERT_NOTES, [jsonbParam([{ id: 10, body: {} }]), 'after'])).affectedRows).toBe(1);
  });

  it('returns the rows of RETURNING, null where the value is NULL, none when nothing matched', async () => {
    const relabel: PreparedStatement = {
      name: 'weft_test_relabel_notes',
      text: `UPDATE prepared_notes SET label = $2 WHERE id = ANY($1::int[]) RETURNING id, label, body->>'missing' AS missing`,
    };
    const result = await database.runPrepared(relabel, ['{1,2}', 'relabelled']);
    expect(result.affectedRows).toBe(2);
    // Values as the driver gives them: text on the embedded database, typed on PostgreSQL.
    const rows = result.rows.map((row) => ({ ...row, id: Number(row.id) })).sort((a, b) => a.id - b.id);
    expect(rows).toEqual([
      { id: 1, label: 'relabelled', missing: null },
      { id: 2, label: 'relabelled', missing: null },
    ]);
    expect(await database.runPrepared(relabel, ['{99}', 'x'])).toEqual({ affectedRows: 0, rows: [] });
  });

  it('reports an invalid statement and does not keep it', async () => {
    const broken: PreparedStatement = { name: 'weft_test_broken', text: 'INSERT INTO no_such_table VALUES ($1)' };
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(databaseErrorOf(await database.runPrepared(broken, ['x']).catch((error: unknown) => error))).toMatchObject({ code: '42P01' });
    }
  });

  it('passes a plain query error across with its code and constraint', async () => {
    const failure = await database.db.execute(sql`INSERT INTO prepared_notes (id, body) VALUES (1, '{}')`).catch((error: unknown) => error);
    expect(databaseErrorOf(failure)).toMatchObject({ code: '23505', constraint: 'prepared_notes_pkey' });
  });
});
