import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openJournal, queryRows } from '@weft/db';
import { newId } from '@weft/kernel';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { createRunRecorder, type RunRecord } from './run-recorder';
import { findRunRow, listRunStepRows } from './runs.repository';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const workspaceId = newId();
const workflowId = newId();
const versionId = newId();

/** A webhook run that ended in its request, as run-webhook.ts records it. */
function endedRun(overrides: Partial<RunRecord> = {}): RunRecord {
  const createdAt = new Date('2026-11-27T05:34:39.079Z');
  const input = { body: { a: 41, name: 'bob' }, headers: { 'content-type': 'application/json' } };
  const response = { body: { sum: 42, greeting: 'hi bob' }, status: 200 };
  return {
    id: newId(),
    workspaceId,
    workflowId,
    versionId,
    versionNumber: 3,
    status: 'succeeded',
    triggerKind: 'webhook',
    input,
    response,
    concurrencyLimit: null,
    timeoutMs: 30_000,
    createdAt,
    startedAt: createdAt,
    finishedAt: new Date('2026-11-27T05:34:39.081Z'),
    steps: [
      { nodeId: 'hook', status: 'succeeded', port: 'main', output: input, attempts: 1, startedAt: createdAt, finishedAt: createdAt },
      { nodeId: 'shape', status: 'succeeded', port: 'main', output: { sum: 42 }, attempts: 1, startedAt: createdAt, finishedAt: new Date('2026-11-27T05:34:39.080Z') },
      { nodeId: 'reply', status: 'succeeded', port: 'main', output: response, attempts: 2, startedAt: createdAt, finishedAt: new Date('2026-11-27T05:34:39.081Z') },
    ],
    ...overrides,
  };
}

describe('run recorder: runs that ended in their request', () => {
  it('stores a batch with every column, and its inline steps read back as step rows', async () => {
    const recorder = createRunRecorder({ database });
    const record = endedRun();
    const failed = endedRun({ status: 'failed', response: undefined, error: { message: 'boom', nodeId: 'shape' }, input: null, concurrencyLimit: 4 });
    await Promise.all([recorder.record(record), recorder.record(failed)]);

    const stored = await findRunRow(database.db, workspaceId, record.id);
    expect(stored).toMatchObject({
      workflowId,
      versionId,
      versionNumber: 3,
      status: 'succeeded',
      triggerKind: 'webhook',
      input: record.input,
      response: record.response,
      error: null,
      attempt: 1,
      concurrencyLimit: null,
      timeoutMs: 30_000,
      leaseOwner: null,
    });
    const [times] = await queryRows<Record<string, string>>(
      database.db,
      sql`SELECT to_char(created_at AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') AS created, to_char(available_at AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') AS available,
                 to_char(finished_at AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') AS finished, input IS NULL AS no_input
          FROM runs WHERE id = ${failed.id}`,
    );
    // A JSON null input is SQL NULL, as in every other write of runs.
    expect(times).toEqual({ created: '05:34:39.079', available: '05:34:39.079', finished: '05:34:39.081', no_input: true });
    expect(await findRunRow(database.db, workspaceId, failed.id)).toMatchObject({ status: 'failed', error: { message: 'boom', nodeId: 'shape' }, concurrencyLimit: 4 });

    const steps = await listRunStepRows(database.db, stored!);
    expect(steps.map((step) => [step.nodeId, step.output, step.attempts])).toEqual([
      ['hook', record.input, 1],
      ['shape', { sum: 42 }, 1],
      ['reply', record.response, 2],
    ]);
    expect(new Date(steps[1]!.finishedAt).toISOString()).toBe('2026-11-27T05:34:39.080Z');
  });

  it('stores a batch that mixes an ended run with a queued one: inline steps for the first, step rows for the second', async () => {
    const recorder = createRunRecorder({ database });
    const ended = endedRun();
    const queued = endedRun({ status: 'queued', response: undefined, startedAt: undefined, finishedAt: undefined, steps: [] });
    await Promise.all([recorder.record(ended), recorder.record(queued)]);
    const rows = await queryRows<{ id: string; status: string; attempt: number; inline: boolean }>(
      database.db,
      sql`SELECT id, status, attempt, steps IS NOT NULL AS inline FROM runs WHERE id IN (${ended.id}, ${queued.id}) ORDER BY status`,
    );
    expect(rows).toEqual([
      { id: queued.id, status: 'queued', attempt: 0, inline: false },
      { id: ended.id, status: 'succeeded', attempt: 1, inline: true },
    ]);
    const steps = await listRunStepRows(database.db, (await findRunRow(database.db, workspaceId, ended.id))!);
    expect(steps.map((step) => step.nodeId)).toEqual(['hook', 'shape', 'reply']);
  });

  it('fails only the record the database cannot store; the rest of its batch is written', async () => {
    const recorder = createRunRecorder({ database });
    const good = [endedRun(), endedRun()];
    const bad = endedRun({ versionId: 'not-a-uuid' });
    const clash = endedRun({ timeoutMs: 2 ** 31 });
    const results = await Promise.allSettled([recorder.record(good[0]!), recorder.record(bad), recorder.record(clash), recorder.record(good[1]!)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const ids = [...good, bad, clash].map((record) => record.id);
    const rows = await queryRows<{ id: string }>(database.db, sql`SELECT id FROM runs WHERE id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
    expect(rows.map((row) => row.id).sort()).toEqual(good.map((record) => record.id).sort());
  });

  it('rejects a record whose documents JSON cannot hold, and stores the others', async () => {
    const recorder = createRunRecorder({ database });
    const good = endedRun();
    const unserialisable = endedRun({ response: { count: 1n } });
    const results = await Promise.allSettled([recorder.record(unserialisable), recorder.record(good)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
    expect(await findRunRow(database.db, workspaceId, good.id)).not.toBeNull();
  });

  it('writes a record again without a second row (the one-by-one retry after a failed batch)', async () => {
    const recorder = createRunRecorder({ database });
    const record = endedRun();
    await recorder.record(record);
    await recorder.record({ ...record, status: 'failed' });
    const rows = await queryRows<{ status: string }>(database.db, sql`SELECT status FROM runs WHERE id = ${record.id}`);
    expect(rows).toEqual([{ status: 'succeeded' }]);
  });
});

describe('run recorder with a journal (embedded database)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  function journalDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'weft-run-journal-'));
    dirs.push(dir);
    return dir;
  }
  const storedIds = async (ids: string[]) =>
    (await queryRows<{ id: string }>(database.db, sql`SELECT id FROM runs WHERE id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`)).map((row) => row.id).sort();

  it('acknowledges an ended run once it is journaled; settle() waits until it is in the database', async () => {
    const journal = openJournal({ dir: journalDir() });
    const recorder = createRunRecorder({ database, journal });
    const records = [endedRun(), endedRun({ status: 'failed', error: { message: 'boom' } })];
    await Promise.all(records.map((record) => recorder.record(record)));
    // Answered before its commit: the database write has not even been made yet.
    expect(journal.unreleased).toBe(2);
    await recorder.settle();
    expect(journal.unreleased).toBe(0);
    expect(await storedIds(records.map((record) => record.id))).toEqual(records.map((record) => record.id).sort());
    const steps = await listRunStepRows(database.db, (await findRunRow(database.db, workspaceId, records[0]!.id))!);
    expect(steps.map((step) => step.nodeId)).toEqual(['hook', 'shape', 'reply']);
  });

  it('stores at the next start what a process acknowledged but could not store, with the same columns', async () => {
    const dir = journalDir();
    const broken = await createTestDatabase();
    await broken.close(); // the database goes away after the runs were acknowledged
    const before = createRunRecorder({ database: broken, journal: openJournal({ dir }) });
    const records = [endedRun(), endedRun({ status: 'failed', response: undefined, input: null, error: { message: 'boom' }, concurrencyLimit: 2 })];
    await Promise.all(records.map((record) => before.record(record)));
    await before.settle();

    const after = createRunRecorder({ database, journal: openJournal({ dir }) });
    expect(await after.recoverJournal()).toBe(2);
    expect(await storedIds(records.map((record) => record.id))).toEqual(records.map((record) => record.id).sort());
    expect(await findRunRow(database.db, workspaceId, records[1]!.id)).toMatchObject({ status: 'failed', input: null, error: { message: 'boom' }, concurrencyLimit: 2 });
    const steps = await listRunStepRows(database.db, (await findRunRow(database.db, workspaceId, records[0]!.id))!);
    expect(steps.map((step) => [step.nodeId, step.output])).toEqual([
      ['hook', records[0]!.input],
      ['shape', { sum: 42 }],
      ['reply', records[0]!.response],
    ]);
    // Stored once: a run both journaled and committed is not written twice, and the journal is gone.
    expect(await after.recoverJournal()).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('waits for the commit again when the database falls behind by more than the backlog', async () => {
    const journal = openJournal({ dir: journalDir() });
    const recorder = createRunRecorder({ database, journal, maxJournalBacklog: 2 });
    const records = [endedRun(), endedRun(), endedRun(), endedRun()];
    const journaled = records.slice(0, 2).map((record) => recorder.record(record));
    const overBacklog = records.slice(2);
    await Promise.all(overBacklog.map((record) => recorder.record(record)));
    // Over the backlog, a run is acknowledged only once it is committed.
    expect(await storedIds(overBacklog.map((record) => record.id))).toEqual(overBacklog.map((record) => record.id).sort());
    await Promise.all(journaled);
    await recorder.drain();
    expect(await storedIds(records.map((record) => record.id))).toEqual(records.map((record) => record.id).sort());
  });

  it('does not journal a queued run: its runner needs the row first', async () => {
    const journal = openJournal({ dir: journalDir() });
    const recorder = createRunRecorder({ database, journal });
    const queued = endedRun({ status: 'queued', response: undefined, startedAt: undefined, finishedAt: undefined, steps: [] });
    await recorder.record(queued);
    expect(journal.unreleased).toBe(0);
    expect(await storedIds([queued.id])).toEqual([queued.id]);
  });
});
