import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { createRunsHarness, type RunsHarness } from './test-fixtures/runs-harness';

let h: RunsHarness;
beforeAll(async () => {
  h = await createRunsHarness();
});
afterAll(async () => {
  await h.close();
});

// ANALYZE of the JSON documents was most of the embedded maintenance pass, which holds PGlite's only
// connection (migration 0014). A JSON column added later must make the same choice.
it("gathers no planner statistics on the run tables' JSON documents", async () => {
  const columns = await queryRows<{ name: string; target: number | null }>(
    h.database.db,
    sql`SELECT c.relname || '.' || a.attname AS name, a.attstattarget::int AS target
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relname IN ('runs', 'run_steps') AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND a.atttypid IN ('json'::regtype, 'jsonb'::regtype)
        ORDER BY 1`,
  );
  expect(columns.map((column) => column.name)).toEqual([
    'run_steps.error',
    'run_steps.output',
    'run_steps.wait',
    'runs.draft_graph',
    'runs.error',
    'runs.input',
    'runs.response',
    'runs.resume_input',
    'runs.steps',
  ]);
  expect(columns.filter((column) => column.target !== 0)).toEqual([]);
});
