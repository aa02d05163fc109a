import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { runsInventories } from './runs.tables';
import { asUser, buildCountedChain, createRunsHarness, type RunsHarness } from './test-fixtures/runs-harness';

let h: RunsHarness;
let alphaWorkflow: string;
let betaWorkflow: string;
beforeAll(async () => {
  h = await createRunsHarness();
  alphaWorkflow = (await h.publishWorkflow(buildCountedChain(['c1', 'c2']))).workflowId;
  betaWorkflow = (await h.publishWorkflow(buildCountedChain(['c1']), {}, h.beta)).workflowId;
});
afterAll(async () => {
  await h.close();
});

const runsUrl = (workspace: string, rest = '') => `/api/v1/workspaces/${workspace}/runs${rest}`;
const startUrl = (workspace: string, workflowId: string) => `/api/v1/workspaces/${workspace}/workflows/${workflowId}/runs`;

async function countAllRuns(): Promise<number> {
  const rows = await queryRows<{ n: number }>(h.database.db, sql`SELECT count(*)::int AS n FROM runs`);
  return rows[0]!.n;
}

async function startRun(payload: unknown, headers: Record<string, string> = {}) {
  return h.app.inject({ method: 'POST', url: startUrl('alpha', alphaWorkflow), ...asUser(h.alice, headers), payload: payload as Record<string, unknown> });
}

describe('manual runs', () => {
  it('starts a run with the body as input (202) and the same Idempotency-Key gives the same run', async () => {
    const first = await startRun({ order: 1 }, { 'idempotency-key': 'k-1' });
    expect(first.statusCode).toBe(202);
    const again = await startRun({ order: 1 }, { 'idempotency-key': 'k-1' });
    expect(again.json().runId).toBe(first.json().runId);
    const other = await startRun({ order: 2 });
    expect(other.json().runId).not.toBe(first.json().runId);
    await h.runs.createRunner({ workerId: 'api' }).runOnce();
    const run = await h.app.inject({ method: 'GET', url: runsUrl('alpha', `/${first.json().runId}`), ...asUser(h.alice) });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ status: 'succeeded', input: { order: 1 }, triggerKind: 'manual', versionNumber: 1 });
    expect(run.json().steps.map((step: { nodeId: string }) => step.nodeId).sort()).toEqual(['c1', 'c2', 'reply', 'start']);
  });

  it('refuses a bad Idempotency-Key, an unknown workflow and an unpublished one, writing nothing', async () => {
    const before = await countAllRuns();
    const badKey = await startRun({}, { 'idempotency-key': 'has spaces in it' });
    expect([badKey.statusCode, badKey.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const unknown = await h.app.inject({ method: 'POST', url: startUrl('alpha', '0195d2d0-0000-7000-8000-000000000000'), ...asUser(h.alice), payload: {} });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'WORKFLOW_NOT_FOUND']);
    const { workflow } = await h.workflows.api.createWorkflow(h.alpha, h.actor, { name: 'Draft only' });
    const unpublished = await h.app.inject({ method: 'POST', url: startUrl('alpha', workflow.id), ...asUser(h.alice), payload: {} });
    expect([unpublished.statusCode, unpublished.json().error.code]).toEqual([409, 'WORKFLOW_NOT_PUBLISHED']);
    expect(await countAllRuns()).toBe(before);
  });
});

describe('listing runs', () => {
  it('filters by status and workflow and pages newest first', async () => {
    for (let i = 0; i < 3; i++) await startRun({ page: i });
    const queued = await h.app.inject({ method: 'GET', url: runsUrl('alpha', `?status=queued&workflowId=${alphaWorkflow}&limit=2`), ...asUser(h.alice) });
    expect(queued.statusCode).toBe(200);
    const page = queued.json();
    expect(page.items).toHaveLength(2);
    expect(page.items.every((run: { status: string }) => run.status === 'queued')).toBe(true);
    const rest = await h.app.inject({ method: 'GET', url: runsUrl('alpha', `?status=queued&workflowId=${alphaWorkflow}&limit=2&cursor=${page.nextCursor}`), ...asUser(h.alice) });
    const ids = [...page.items, ...rest.json().items].map((run: { id: string }) => run.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const future = await h.app.inject({ method: 'GET', url: runsUrl('alpha', '?from=2999-01-01T00:00:00Z'), ...asUser(h.alice) });
    expect(future.json().items).toEqual([]);
  });

  it.each([
    ['an unknown status', '?status=sleeping'],
    ['a malformed workflow id', '?workflowId=42'],
    ['a malformed date', '?from=yesterday'],
    ['a page too large', '?limit=5000'],
  ])('refuses %s with 400', async (_case, query) => {
    const reply = await h.app.inject({ method: 'GET', url: runsUrl('alpha', query), ...asUser(h.alice) });
    expect([reply.statusCode, reply.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});

describe('cancel, retry and replay over HTTP', () => {
  it('cancels a queued run, refuses to cancel it twice, retries it and replays it', async () => {
    const { runId } = (await startRun({ x: 1 })).json();
    const cancel = await h.app.inject({ method: 'POST', url: runsUrl('alpha', `/${runId}/cancel`), ...asUser(h.alice) });
    expect([cancel.statusCode, cancel.json().status]).toEqual([202, 'cancelled']);
    const twice = await h.app.inject({ method: 'POST', url: runsUrl('alpha', `/${runId}/cancel`), ...asUser(h.alice) });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'RUN_ALREADY_FINISHED']);

    const retry = await h.app.inject({ method: 'POST', url: runsUrl('alpha', `/${runId}/retry`), ...asUser(h.alice) });
    expect(retry.statusCode).toBe(202);
    await h.runs.createRunner({ workerId: 'retry' }).runOnce();
    const retried = await h.app.inject({ method: 'GET', url: runsUrl('alpha', `/${retry.json().runId}`), ...asUser(h.alice) });
    expect(retried.json()).toMatchObject({ status: 'succeeded', sourceRunId: runId, input: { x: 1 } });

    const notAgain = await h.app.inject({ method: 'POST', url: runsUrl('alpha', `/${retry.json().runId}/retry`), ...asUser(h.alice) });
    expect([notAgain.statusCode, notAgain.json().error.code]).toEqual([409, 'RUN_NOT_RETRYABLE']);
    const replay = await h.app.inject({ method: 'POST', url: runsUrl('alpha', `/${retry.json().runId}/replay`), ...asUser(h.alice), payload: { fromNodeId: 'c2' } });
    expect(replay.statusCode).toBe(202);
    const badReplay = await h.app.inject({ method: 'POST', url: runsUrl('alpha', `/${retry.json().runId}/replay`), ...asUser(h.alice), payload: {} });
    expect(badReplay.statusCode).toBe(400);
  });
});

describe('tenant isolation', () => {
  it('a member of workspace A gets 404 for the runs of workspace B, both ways', async () => {
    const ofAlpha = (await startRun({})).json().runId as string;
    const ofBeta = (await h.app.inject({ method: 'POST', url: startUrl('beta', betaWorkflow), ...asUser(h.bob), payload: {} })).json().runId as string;
    for (const [user, workspace, runId] of [
      [h.bob, 'beta', ofAlpha],
      [h.alice, 'alpha', ofBeta],
    ] as const) {
      const get = await h.app.inject({ method: 'GET', url: runsUrl(workspace, `/${runId}`), ...asUser(user) });
      expect([get.statusCode, get.json().error.code]).toEqual([404, 'RUN_NOT_FOUND']);
      for (const action of ['cancel', 'retry']) {
        expect((await h.app.inject({ method: 'POST', url: runsUrl(workspace, `/${runId}/${action}`), ...asUser(user) })).statusCode).toBe(404);
      }
      const list = await h.app.inject({ method: 'GET', url: runsUrl(workspace, '?limit=200'), ...asUser(user) });
      expect(list.json().items.map((run: { id: string }) => run.id)).not.toContain(runId);
    }
    // Through the other workspace's URL: the workspace itself is not found, and nothing starts.
    expect((await h.app.inject({ method: 'GET', url: runsUrl('beta', `/${ofBeta}`), ...asUser(h.alice) })).statusCode).toBe(404);
    const before = await countAllRuns();
    expect((await h.app.inject({ method: 'POST', url: startUrl('alpha', betaWorkflow), ...asUser(h.alice), payload: {} })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'POST', url: startUrl('beta', alphaWorkflow), ...asUser(h.bob), payload: {} })).statusCode).toBe(404);
    expect(await countAllRuns()).toBe(before);
    expect((await h.app.inject({ method: 'GET', url: runsUrl('alpha') })).statusCode).toBe(401);
  });
});

describe('retention settings', () => {
  it('reads the defaults, updates them and refuses nonsense', async () => {
    const read = await h.app.inject({ method: 'GET', url: runsUrl('alpha', '/retention'), ...asUser(h.alice) });
    expect(read.json()).toEqual({ maxAgeDays: 30, maxRuns: 10_000 });
    const set = await h.app.inject({ method: 'PUT', url: runsUrl('alpha', '/retention'), ...asUser(h.alice), payload: { maxAgeDays: 7, maxRuns: 500 } });
    expect(set.json()).toEqual({ maxAgeDays: 7, maxRuns: 500 });
    const bad = await h.app.inject({ method: 'PUT', url: runsUrl('alpha', '/retention'), ...asUser(h.alice), payload: { maxAgeDays: 0, maxRuns: 5 } });
    expect(bad.statusCode).toBe(400);
    const unchanged = await h.app.inject({ method: 'GET', url: runsUrl('alpha', '/retention'), ...asUser(h.alice) });
    expect(unchanged.json()).toEqual({ maxAgeDays: 7, maxRuns: 500 });
  });
});

describe('privacy inventory', () => {
  it('classifies every column of the runs tables', async () => {
    const tables = runsInventories.map((inventory) => inventory.table);
    const columns = await queryRows<{ table_name: string; column_name: string }>(
      h.database.db,
      sql`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()
          AND table_name IN (${sql.join(tables.map((table) => sql`${table}`), sql`, `)})`,
    );
    const live = columns.map((column) => `${column.table_name}.${column.column_name}`).sort();
    const declared = runsInventories.flatMap((inventory) => Object.keys(inventory.columns).map((column) => `${inventory.table}.${column}`)).sort();
    expect(live.length).toBeGreaterThan(0);
    expect(declared).toEqual(live);
  });
});
