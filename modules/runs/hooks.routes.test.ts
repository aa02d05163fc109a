import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { createHttpApp } from '@weft/http';
import { systemClock } from '@weft/kernel';
import { createRunsModule } from '@weft/runs';
import { createWorkflowsModule } from '@weft/workflows';
import { INLINE_STEP_COLUMNS, INLINE_STEP_OUTPUT } from './inline-steps';
import { listEffects } from './test-fixtures/counted-nodes';
import { buildCountedChain, buildTestNode, buildW1Graph, createRunsHarness, linkTestNodes, silentLogger, testRegistry, waitFor, type RunsHarness } from './test-fixtures/runs-harness';

let h: RunsHarness;
beforeAll(async () => {
  h = await createRunsHarness();
});
afterAll(async () => {
  await h.close();
});

const W1_BODY = { a: 41, name: 'bob' };

function post(path: string, payload: unknown = W1_BODY, headers: Record<string, string> = {}) {
  return h.app.inject({ method: 'POST', url: `/hooks/${path}`, payload: payload as Record<string, unknown>, headers });
}

/** Steps from both places a run keeps them: rows of run_steps, or inline in runs.steps (a run recorded after it ended). */
const ALL_STEPS = sql`(SELECT s.run_id, s.node_id, s.output, s.output_truncated, s.started_at FROM run_steps s
                       UNION ALL
                       SELECT r.id, s.node_id, ${INLINE_STEP_OUTPUT}, coalesce(s.output_truncated, false), s.started_at
                       FROM runs r, json_to_recordset(r.steps) AS s(${INLINE_STEP_COLUMNS}))`;

async function countRuns(workflowId: string): Promise<{ runs: number; steps: number }> {
  const rows = await queryRows<{ runs: number; steps: number }>(
    h.database.db,
    sql`SELECT (SELECT count(*)::int FROM runs WHERE workflow_id = ${workflowId}) AS runs,
               (SELECT count(*)::int FROM ${ALL_STEPS} s JOIN runs r ON r.id = s.run_id WHERE r.workflow_id = ${workflowId}) AS steps`,
  );
  return rows[0]!;
}

describe('sync webhooks', () => {
  it('W1 replies {"sum":42,"greeting":"hi bob"}', async () => {
    await h.publishWorkflow(buildW1Graph('w1'), { savingPolicy: 'failed' });
    const reply = await post('alpha/w1');
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toBe('{"sum":42,"greeting":"hi bob"}');
    expect(reply.headers['content-type']).toContain('application/json');
  });

  it('answers on /hooks/t/:triggerId too, and the new version right after a publish', async () => {
    const { workflowId } = await h.publishWorkflow(buildW1Graph('versioned'), { savingPolicy: 'none' });
    const [trigger] = await h.workflows.api.catalog.listActiveWebhookTriggers(workflowId);
    expect((await post(`t/${trigger!.triggerId}`)).json()).toEqual({ sum: 42, greeting: 'hi bob' });
    const changed = buildW1Graph('versioned');
    changed.nodes[1]!.params = { source: 'body', mapping: { sum: 'a + 2' } };
    await h.workflows.api.updateWorkflow(h.alpha, h.actor, workflowId, { graph: changed });
    await h.workflows.api.publishWorkflow(h.alpha, h.actor, workflowId, 'v2');
    expect((await post('alpha/versioned')).json()).toEqual({ sum: 43 });
    await h.workflows.api.archiveWorkflow(h.alpha, h.actor, workflowId);
    expect((await post('alpha/versioned')).statusCode).toBe(404);
  });

  it('saving policy all stores the run and its steps; failed stores only failures; none stores nothing', async () => {
    const all = await h.publishWorkflow(buildW1Graph('save-all'), { savingPolicy: 'all' });
    const failed = await h.publishWorkflow(buildW1Graph('save-failed'), { savingPolicy: 'failed' });
    const none = await h.publishWorkflow(buildW1Graph('save-none'), { savingPolicy: 'none' });
    for (const path of ['save-all', 'save-failed', 'save-none']) expect((await post(`alpha/${path}`)).statusCode).toBe(200);
    expect(await countRuns(all.workflowId)).toEqual({ runs: 1, steps: 3 });
    expect(await countRuns(failed.workflowId)).toEqual({ runs: 0, steps: 0 });
    expect(await countRuns(none.workflowId)).toEqual({ runs: 0, steps: 0 });
    const [saved] = await queryRows<{ status: string; input: { body: unknown; headers: Record<string, unknown> }; response: unknown }>(
      h.database.db,
      sql`SELECT status, input, response FROM runs WHERE workflow_id = ${all.workflowId}`,
    );
    expect(saved).toMatchObject({ status: 'succeeded', input: { body: W1_BODY }, response: { status: 200, body: { sum: 42, greeting: 'hi bob' } } });

    // A body the transform cannot use: "a" is text, so `a + 1` fails.
    for (const path of ['save-all', 'save-failed', 'save-none']) {
      const reply = await post(`alpha/${path}`, { a: 'text', name: 'bob' });
      expect(reply.statusCode).toBe(500);
      expect(reply.json().error.code).toBe('RUN_FAILED');
    }
    expect(await countRuns(all.workflowId)).toEqual({ runs: 2, steps: 5 });
    expect(await countRuns(failed.workflowId)).toEqual({ runs: 1, steps: 2 });
    expect(await countRuns(none.workflowId)).toEqual({ runs: 0, steps: 0 });
    const [failure] = await queryRows<{ status: string; error: { nodeId: string } }>(h.database.db, sql`SELECT status, error FROM runs WHERE workflow_id = ${failed.workflowId}`);
    expect(failure).toMatchObject({ status: 'failed', error: { nodeId: 'shape' } });
  });

  it('saving failed runs only, caps a stored output afterwards as the run itself would have', async () => {
    const { workflowId } = await h.publishWorkflow(
      {
        nodes: [
          buildTestNode('hook', 'trigger.webhook', { path: 'big-then-fail', method: 'POST' }),
          buildTestNode('big', 'transform', { mapping: { text: '$pad("", 1100000, "x")' } }),
          buildTestNode('boom', 'test.counted', { shouldFail: true }),
        ],
        edges: [linkTestNodes('hook', 'big'), linkTestNodes('big', 'boom')],
      },
      { savingPolicy: 'failed' },
    );
    expect((await post('alpha/big-then-fail', { x: 1 })).statusCode).toBe(500);
    const steps = await queryRows<{ node_id: string; output: unknown; output_truncated: boolean }>(
      h.database.db,
      sql`SELECT s.node_id, s.output, s.output_truncated FROM ${ALL_STEPS} s JOIN runs r ON r.id = s.run_id WHERE r.workflow_id = ${workflowId} ORDER BY s.started_at`,
    );
    const big = steps.find((step) => step.node_id === 'big')!;
    expect(big).toMatchObject({ output_truncated: true, output: { truncated: true, bytes: 1_100_011 } });
    expect(steps.find((step) => step.node_id === 'hook')).toMatchObject({ output_truncated: false, output: { body: { x: 1 } } });
  });

  it('group commit loses no run under 200 concurrent requests', async () => {
    const { workflowId } = await h.publishWorkflow(buildW1Graph('burst'), { savingPolicy: 'all' });
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => post('alpha/burst', { a: i, name: `n${i}` })));
    expect(replies.every((reply) => reply.statusCode === 200)).toBe(true);
    expect(new Set(replies.map((reply) => reply.json().sum)).size).toBe(200);
    expect(await countRuns(workflowId)).toEqual({ runs: 200, steps: 600 });
  });

  it('a workflow with a concurrency limit runs through the database and is stored whatever its policy', async () => {
    const { workflowId } = await h.publishWorkflow(buildCountedChain(['c1'], { trigger: 'trigger.webhook', path: 'limited' }), {
      concurrencyLimit: 1,
      savingPolicy: 'none',
    });
    const reply = await post('alpha/limited', { x: 1 });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ c1: 'done' });
    const rows = await queryRows<{ status: string; lease_owner: string | null }>(h.database.db, sql`SELECT status, lease_owner FROM runs WHERE workflow_id = ${workflowId}`);
    expect(rows).toEqual([{ status: 'succeeded', lease_owner: null }]);
  });
});

describe('early replies and other processes', () => {
  it('with saving policy failed, replies as soon as the respond node ran, and still saves the run that failed after it', async () => {
    const { workflowId } = await h.publishWorkflow(
      {
        nodes: [
          buildTestNode('hook', 'trigger.webhook', { path: 'early', method: 'POST' }),
          buildTestNode('reply', 'respond', { status: 200, body: { accepted: true } }),
          buildTestNode('boom', 'test.counted', { shouldFail: true }),
        ],
        edges: [linkTestNodes('hook', 'reply'), linkTestNodes('reply', 'boom')],
      },
      { savingPolicy: 'failed' },
    );
    const reply = await post('alpha/early', { x: 1 });
    expect([reply.statusCode, reply.json()]).toEqual([200, { accepted: true }]);
    const saved = await waitFor(async () => {
      const rows = await queryRows<{ status: string; error: { nodeId: string } }>(h.database.db, sql`SELECT status, error FROM runs WHERE workflow_id = ${workflowId}`);
      return rows[0];
    }, 10_000, 'the failed run to be saved');
    expect(saved).toMatchObject({ status: 'failed', error: { nodeId: 'boom' } });
  });

  it('another process learns of a publish through NOTIFY and serves the new webhook', async () => {
    // A second server process: its own modules on its own connection pool, so only NOTIFY links it to the first.
    const otherDatabase = h.database.kind === 'postgres' ? await h.database.openAnother() : h.database;
    const audit = { recordAudit: async () => undefined };
    const deny = () => Promise.reject(new Error('no API calls here'));
    const otherWorkflows = createWorkflowsModule({ database: otherDatabase, clock: systemClock, registry: testRegistry, requireWorkspaceAccess: deny, audit });
    const otherRuns = createRunsModule({ database: otherDatabase, clock: systemClock, logger: silentLogger, registry: testRegistry, catalog: otherWorkflows.api.catalog, requireWorkspaceAccess: deny, audit });
    const otherApp = await createHttpApp({ logger: silentLogger, bodyLimitBytes: 65_536, rateLimitPerMinute: 1_000_000 });
    otherRuns.registerHookRoutes(otherApp, { rateLimit: false });
    await otherApp.ready();
    await otherRuns.start();
    try {
      const hit = () => otherApp.inject({ method: 'POST', url: '/hooks/alpha/elsewhere', payload: W1_BODY });
      expect((await hit()).statusCode).toBe(404);
      await h.publishWorkflow(buildW1Graph('elsewhere'), { savingPolicy: 'none' });
      const served = await waitFor(async () => {
        const reply = await hit();
        return reply.statusCode === 200 ? reply.json() : undefined;
      }, 10_000, 'the other process to see the new webhook');
      expect(served).toEqual({ sum: 42, greeting: 'hi bob' });
    } finally {
      await otherApp.close();
      await otherRuns.stop();
    }
  });
});

describe('run ids in replies', () => {
  it('names the run in x-weft-run-id on a sync reply, the same id the stored run has', async () => {
    const { workflowId } = await h.publishWorkflow(buildW1Graph('named'), { savingPolicy: 'all' });
    const reply = await post('alpha/named');
    expect(reply.statusCode).toBe(200);
    const runs = await h.runs.api.listRuns({ workspaceId: h.alpha.id, workflowId }, 5);
    expect(runs.map((run) => run.id)).toEqual([reply.headers['x-weft-run-id']]);
  });
});

describe('async webhooks', () => {
  it('replies 202 with the run id, and a runner completes the run', async () => {
    const { workflowId } = await h.publishWorkflow(buildW1Graph('later', 'async'), { savingPolicy: 'none' });
    const reply = await post('alpha/later');
    expect(reply.statusCode).toBe(202);
    const { runId } = reply.json();
    expect(reply.headers['x-weft-run-id']).toBe(runId);
    expect((await h.runs.api.getRun(h.alpha, runId)).run.status).toBe('queued');
    await h.runs.createRunner({ workerId: 'async' }).runOnce();
    const { run, steps } = await h.runs.api.getRun(h.alpha, runId);
    expect(run).toMatchObject({ workflowId, status: 'succeeded', triggerKind: 'webhook', response: { body: { sum: 42, greeting: 'hi bob' } } });
    expect(steps).toHaveLength(3);
  });

  it('a started runner with room takes the run straight from the webhook: born running under its lease, never queued', async () => {
    await h.publishWorkflow(buildCountedChain(['held'], { trigger: 'trigger.webhook', path: 'handed', mode: 'async' }), { savingPolicy: 'all' });
    let open!: () => void;
    h.gates.set('held', new Promise<void>((resolve) => (open = resolve)));
    const runner = h.runs.createRunner({ workerId: 'local', pollMs: 60_000, concurrency: 1 });
    await runner.start();
    try {
      const first = (await post('alpha/handed')).json().runId as string;
      const [row] = await queryRows(
        h.database.db,
        sql`SELECT status, lease_owner, attempt, lease_expires_at > now() AS is_leased, started_at = created_at AS is_started_on_insert
            FROM runs WHERE id = ${first}`,
      );
      // A claim would have set started_at to the claim's time: this run started with its insert.
      expect(row).toEqual({ status: 'running', lease_owner: 'local', attempt: 1, is_leased: true, is_started_on_insert: true });
      // Its one slot is taken: the next run is queued for whichever runner claims it.
      const second = (await post('alpha/handed')).json().runId as string;
      expect((await h.runs.api.getRun(h.alpha, second)).run.status).toBe('queued');
      open();
      for (const runId of [first, second]) {
        await waitFor(async () => ((await h.runs.api.getRun(h.alpha, runId)).run.status === 'succeeded' ? true : undefined));
        expect((await listEffects(h.database.db, runId)).map((effect) => effect.phase)).toEqual(['start', 'done']);
      }
    } finally {
      h.gates.delete('held');
      await runner.stop();
    }
  });
});

describe('refused requests', () => {
  it('unknown address → 404, wrong method → 405, a credential it cannot read → 401; no run written', async () => {
    const { workflowId } = await h.publishWorkflow(buildW1Graph('guarded'), { savingPolicy: 'all' });
    const secured = buildW1Graph('secured');
    secured.nodes[0]!.params = { path: 'secured', method: 'POST', auth: { type: 'bearer', credentialId: 'not-in-this-harness' } };
    const securedWorkflow = await h.publishWorkflow(secured, { savingPolicy: 'all' });

    const missing = await post('alpha/nowhere');
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'WEBHOOK_NOT_FOUND']);
    expect((await post('beta/guarded')).statusCode).toBe(404);
    expect((await post('t/not-a-trigger')).statusCode).toBe(404);
    const wrongMethod = await h.app.inject({ method: 'PUT', url: '/hooks/alpha/guarded', payload: W1_BODY });
    expect([wrongMethod.statusCode, wrongMethod.headers.allow]).toEqual([405, 'POST']);
    const unauthorized = await post('alpha/secured', W1_BODY, { authorization: 'Bearer whatever' });
    expect([unauthorized.statusCode, unauthorized.json().error.code]).toEqual([401, 'WEBHOOK_UNAUTHORIZED']);
    const malformed = await h.app.inject({ method: 'POST', url: '/hooks/alpha/guarded', payload: '{"a":', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect(await countRuns(workflowId)).toEqual({ runs: 0, steps: 0 });
    expect(await countRuns(securedWorkflow.workflowId)).toEqual({ runs: 0, steps: 0 });
  });

  it('keeps credentials out of the stored input', async () => {
    const { workflowId } = await h.publishWorkflow(buildW1Graph('headers'), { savingPolicy: 'all' });
    await post('alpha/headers', W1_BODY, { authorization: 'Bearer s3cret', cookie: 'session=abc', 'x-trace': 't1' });
    const [row] = await queryRows<{ input: { headers: Record<string, string> } }>(h.database.db, sql`SELECT input FROM runs WHERE workflow_id = ${workflowId}`);
    expect(row!.input.headers['x-trace']).toBe('t1');
    expect(JSON.stringify(row)).not.toContain('s3cret');
    expect(JSON.stringify(row)).not.toContain('session=abc');
  });

  it('replies with the respond node’s status and headers', async () => {
    await h.publishWorkflow(
      {
        nodes: [
          buildTestNode('hook', 'trigger.webhook', { path: 'teapot', method: 'GET' }),
          buildTestNode('reply', 'respond', { status: 418, body: 'short and stout', headers: { 'x-kind': 'teapot', 'content-length': '1' } }),
        ],
        edges: [linkTestNodes('hook', 'reply')],
      },
      { savingPolicy: 'none' },
    );
    const reply = await h.app.inject({ method: 'GET', url: '/hooks/alpha/teapot?x=1' });
    expect(reply.statusCode).toBe(418);
    expect((await h.app.inject({ method: 'HEAD', url: '/hooks/alpha/teapot' })).statusCode).toBe(404);
    expect(reply.body).toBe('short and stout');
    expect(reply.headers['x-kind']).toBe('teapot');
  });
});
