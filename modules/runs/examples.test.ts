import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunsHarness, type RunsHarness } from './test-fixtures/runs-harness';

/** The starter workflows in examples/: each one imports, publishes, runs, and exports back to the same bytes. */
const EXAMPLES_DIR = resolve(import.meta.dirname, '../../examples');

let h: RunsHarness;
beforeAll(async () => {
  h = await createRunsHarness();
});
afterAll(async () => {
  await h.close();
});

async function importExample(name: string): Promise<{ workflowId: string; text: string }> {
  const text = readFileSync(join(EXAMPLES_DIR, `${name}.workflow.json`), 'utf8');
  const imported = await h.workflows.api.importWorkflow(h.alpha, h.actor, JSON.parse(text), true);
  expect(imported.published?.version).toBe(1);
  return { workflowId: imported.workflow.id, text };
}

describe('examples', () => {
  it('holds W1 and at least two other starters', () => {
    const files = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.workflow.json'));
    expect(files).toContain('w1.workflow.json');
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it('every example exports back byte for byte', async () => {
    for (const file of readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.workflow.json'))) {
      const text = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
      const imported = await h.workflows.api.importWorkflow(h.beta, { type: 'user', id: h.bob }, JSON.parse(text), false);
      const exported = await h.workflows.api.exportWorkflow(h.beta, imported.workflow.id);
      expect(exported.json, file).toBe(text);
    }
  });

  it('w1: POST {"a":41,"name":"bob"} → {"sum":42,"greeting":"hi bob"}', async () => {
    await importExample('w1');
    const reply = await h.app.inject({ method: 'POST', url: '/hooks/alpha/w1', payload: { a: 41, name: 'bob' } });
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toBe('{"sum":42,"greeting":"hi bob"}');
  });

  it('order-router: sends big orders down the priority lane', async () => {
    await importExample('order-router');
    const big = await h.app.inject({ method: 'POST', url: '/hooks/alpha/orders', payload: { id: 'o1', total: 250 } });
    expect([big.statusCode, big.json()]).toEqual([201, { id: 'o1', lane: 'priority', total: 250 }]);
    const small = await h.app.inject({ method: 'POST', url: '/hooks/alpha/orders', payload: { id: 'o2', total: 20 } });
    expect([small.statusCode, small.json()]).toEqual([202, { id: 'o2', lane: 'standard', total: 20 }]);
  });

  it('async-intake: 202 at once, then the run completes in the background', async () => {
    await importExample('async-intake');
    const reply = await h.app.inject({ method: 'POST', url: '/hooks/alpha/events', payload: { type: 'SIGNUP', at: '2026-01-01', items: [1, 2, 3] } });
    expect(reply.statusCode).toBe(202);
    await h.runs.createRunner({ workerId: 'examples' }).runOnce();
    const { run } = await h.runs.api.getRun(h.alpha, reply.json().runId);
    expect(run).toMatchObject({ status: 'succeeded', response: { body: { type: 'signup', at: '2026-01-01', count: 3 } } });
  });

  it('manual-report: a manual run totals the amounts', async () => {
    const { workflowId } = await importExample('manual-report');
    const { runId } = await h.runs.api.startManualRun(h.alpha, workflowId, { amounts: [5, 10, 20] }, undefined);
    await h.runs.createRunner({ workerId: 'examples' }).runOnce();
    const { run } = await h.runs.api.getRun(h.alpha, runId);
    expect(run).toMatchObject({ status: 'succeeded', response: { body: { count: 3, total: 35, largest: 20 } } });
  });
});
