import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { binaryArrayParam } from './binary-array';
import { toJsonbText } from './jsonb-param';
import { queryRows } from './database';
import type { PreparedStatement } from './embedded-thread';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`CREATE TABLE binary_rows (id uuid PRIMARY KEY, n int, x float8, ok bool, label text, at timestamptz, doc jsonb)`);
});
afterAll(async () => {
  await database.close();
});

const INSERT_ROWS: PreparedStatement = {
  name: 'weft_test_insert_binary_rows',
  text: `INSERT INTO binary_rows (id, n, x, ok, label, at, doc)
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::float8[], $4::bool[], $5::text[], $6::timestamptz[], $7::jsonb[])`,
};

const IDS = ['01a21b7f-a1e7-706f-b509-aa16666882bb', '01A21B7F-A1E7-706F-B509-AA16666882BC', '00000000-0000-0000-0000-000000000000'];
const DOC = { text: 'héllo wörld ✓ 🧵', list: [1, 2.5, null, true], quote: 'say "hi"\\n', nul: 'a\u0000b' };

describe('binaryArrayParam', () => {
  it('inserts rows of every element type through unnest, nulls included, as the same values the text form gives', async () => {
    const at = [new Date('2026-11-27T05:34:39.079Z'), new Date('1970-01-01T00:00:00.000Z'), null];
    const result = await database.runPrepared(INSERT_ROWS, [
      binaryArrayParam('uuid', IDS),
      binaryArrayParam('int4', [1, -2147483648, null]),
      binaryArrayParam('float8', [0.1, -1e300, undefined]),
      binaryArrayParam('bool', [true, false, null]),
      binaryArrayParam('text', ['ä "quoted" {brace}', '', null]),
      binaryArrayParam('timestamptz', at),
      binaryArrayParam('jsonb', [DOC, null, undefined]),
    ]);
    expect(result.affectedRows).toBe(3);
    const rows = await queryRows<Record<string, unknown>>(
      database.db,
      sql`SELECT id, n, x, ok, label, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS at, doc, doc IS NULL AS doc_is_sql_null
          FROM binary_rows ORDER BY n DESC NULLS LAST`,
    );
    expect(rows).toEqual([
      { id: IDS[0], n: 1, x: 0.1, ok: true, label: 'ä "quoted" {brace}', at: '2026-11-27T05:34:39.079', doc: { ...DOC, nul: 'a\ufffdb' }, doc_is_sql_null: false },
      { id: IDS[1]!.toLowerCase(), n: -2147483648, x: -1e300, ok: false, label: '', at: '1970-01-01T00:00:00.000', doc: null, doc_is_sql_null: false },
      { id: IDS[2], n: null, x: null, ok: null, label: null, at: null, doc: null, doc_is_sql_null: true },
    ]);
  });

  it('keeps dates before 2000 and far from it exact to the millisecond', async () => {
    const dates = [new Date('1969-07-20T20:17:40.123Z'), new Date('2600-01-01T00:00:00.001Z'), new Date('1500-03-01T12:00:00.999Z')];
    const [row] = await queryRows<{ texts: string[] }>(
      database.db,
      sql`SELECT array_agg(to_char(d AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ORDER BY o) AS texts
          FROM unnest(${binaryArrayParam('timestamptz', dates)}::timestamptz[]) WITH ORDINALITY AS t(d, o)`,
    );
    expect(row!.texts).toEqual(dates.map((date) => date.toISOString()));
  });

  it('takes jsonb values serialised ahead by toJsonbText', async () => {
    const texts = [toJsonbText(DOC), null, toJsonbText(null)];
    const [row] = await queryRows<{ docs: unknown[]; nulls: boolean[] }>(
      database.db,
      sql`SELECT array_agg(d ORDER BY o) AS docs, array_agg(d IS NULL ORDER BY o) AS nulls
          FROM unnest(${binaryArrayParam('jsonb', texts, { isSerialized: true })}::jsonb[]) WITH ORDINALITY AS t(d, o)`,
    );
    expect(row!.nulls).toEqual([false, true, false]);
    expect(row!.docs[0]).toEqual({ ...DOC, nul: 'a\ufffdb' });
    expect(() => binaryArrayParam('jsonb', [{}], { isSerialized: true })).toThrow('string');
  });

  it('sends json elements as their text, kept as written', async () => {
    const [row] = await queryRows<{ texts: string[] }>(
      database.db,
      sql`SELECT array_agg(d::text ORDER BY o) AS texts
          FROM unnest(${binaryArrayParam('json', [{ b: 1, a: [true] }, 'é'])}::json[]) WITH ORDINALITY AS t(d, o)`,
    );
    expect(row!.texts).toEqual(['{"b":1,"a":[true]}', '"é"']);
  });

  it('sends an empty array', async () => {
    const [row] = await queryRows<{ n: number }>(database.db, sql`SELECT cardinality(${binaryArrayParam('uuid', [])}::uuid[]) AS n`);
    expect(Number(row!.n)).toBe(0);
  });

  it('refuses values its type cannot hold instead of sending bytes the database would misread', () => {
    expect(() => binaryArrayParam('uuid', ['not-a-uuid'])).toThrow('Not a uuid');
    expect(() => binaryArrayParam('uuid', [IDS[0]!.replace('a', 'g')])).toThrow('Not a uuid');
    expect(() => binaryArrayParam('int4', [1.5])).toThrow('integer');
    expect(() => binaryArrayParam('int4', [2 ** 31])).toThrow(RangeError);
    expect(() => binaryArrayParam('float8', ['1'])).toThrow('number');
    expect(() => binaryArrayParam('bool', [1])).toThrow('boolean');
    expect(() => binaryArrayParam('text', [1])).toThrow('string');
    expect(() => binaryArrayParam('timestamptz', [new Date(Number.NaN)])).toThrow('valid Date');
    expect(() => binaryArrayParam('timestamptz', ['2026-01-01'])).toThrow('valid Date');
  });
});
