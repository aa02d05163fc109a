import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { queryRows } from './database';
import { jsonbParam, toJsonbText } from './jsonb-param';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const DOCUMENT = { text: 'héllo wörld ✓ 🧵', list: [1, 2.5, null, true, 'x'], nested: { quote: 'say "hi"\\n', empty: {} } };

describe('jsonbParam', () => {
  it('sends a document in binary form that the database stores as the same jsonb as its text', async () => {
    const [row] = await queryRows<{ sent: unknown; same: boolean; kind: string }>(
      database.db,
      sql`SELECT ${jsonbParam(DOCUMENT)}::jsonb AS sent, ${jsonbParam(DOCUMENT)}::jsonb = ${toJsonbText(DOCUMENT)}::jsonb AS same,
                 jsonb_typeof(${jsonbParam([DOCUMENT])}::jsonb) AS kind`,
    );
    expect(row).toEqual({ sent: DOCUMENT, same: true, kind: 'array' });
  });

  it('reads as rows through jsonb_to_recordset, the way batch writes use it', async () => {
    const rows = await queryRows<{ id: number; name: string }>(
      database.db,
      sql`SELECT id, name FROM jsonb_to_recordset(${jsonbParam([{ id: 1, name: 'ä' }, { id: 2, name: 'b' }])}::jsonb) AS r(id int, name text) ORDER BY id`,
    );
    expect(rows).toEqual([{ id: 1, name: 'ä' }, { id: 2, name: 'b' }]);
  });

  it('turns an escaped U+0000, which jsonb cannot hold, into U+FFFD, and leaves an escaped backslash before "u0000" alone', async () => {
    const [row] = await queryRows<{ sent: unknown }>(database.db, sql`SELECT ${jsonbParam({ a: 'x\u0000y', b: 'c:\\u0000' })}::jsonb AS sent`);
    expect(row!.sent).toEqual({ a: 'x\ufffdy', b: 'c:\\u0000' });
  });

  it('still accepts plain JSON text and objects for jsonb parameters elsewhere', async () => {
    const [row] = await queryRows<{ text: unknown }>(database.db, sql`SELECT ${toJsonbText({ n: 1 })}::jsonb AS text`);
    expect(row!.text).toEqual({ n: 1 });
  });
});
