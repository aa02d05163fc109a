import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '@weft/db';
import { coreNodes, createNodeRegistry, defineNode } from '@weft/engine';
import { workflowsInventories } from './workflows.tables';
import { asUser, buildTestNode, buildW1Graph, createWorkflowsHarness, linkTestNodes, type WorkflowsHarness } from './test-fixtures/workflows-harness';

/** A node that needs a credential, to exercise the credential checks. */
const mailNode = defineNode({
  type: 'test.mail',
  version: 1,
  name: 'Mail',
  description: 'Needs an SMTP credential',
  kind: 'action',
  params: z.object({}),
  ports: { inputs: ['main'], outputs: ['main'] },
  credentialType: 'smtp',
  run: ({ input }) => ({ output: input }),
});

let h: WorkflowsHarness;
beforeAll(async () => {
  h = await createWorkflowsHarness({
    registry: createNodeRegistry([...coreNodes, mailNode]),
    validateOptions: { checkCredential: (node) => (node.credentialId === 'cred-of-beta' ? 'Credential cred-of-beta belongs to another workspace' : null) },
  });
});
afterAll(async () => {
  await h.close();
});

const url = (rest = '', workspace = 'alpha') => `/api/v1/workspaces/${workspace}/workflows${rest}`;

async function createWorkflow(graph: unknown, name = 'W') {
  const reply = await h.app.inject({ method: 'POST', url: url(), ...asUser(h.alice), payload: { name, graph } });
  expect(reply.statusCode).toBe(201);
  return reply.json() as { id: string };
}

async function publish(id: string, message = '') {
  return h.app.inject({ method: 'POST', url: url(`/${id}/publish`), ...asUser(h.alice), payload: { message } });
}

async function countRows(table: 'workflow_versions' | 'webhook_triggers' | 'outbox_events' | 'workflows'): Promise<number> {
  const rows = await queryRows<{ n: number }>(h.database.db, sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`);
  return rows[0]!.n;
}

describe('publish', () => {
  it('refuses a graph with every kind of error, listing each problem with its node id, and writes nothing', async () => {
    const graph = {
      nodes: [
        buildTestNode('hook', 'trigger.webhook', { path: 'bad' }),
        buildTestNode('hook2', 'trigger.manual'),
        buildTestNode('mystery', 'does.not-exist'),
        buildTestNode('nomap', 'transform', {}),
        buildTestNode('badexpr', 'transform', { mapping: { x: 'a +' } }),
        buildTestNode('loop1', 'transform', { mapping: { x: '1' } }),
        buildTestNode('loop2', 'transform', { mapping: { x: '2' } }),
        buildTestNode('mail', 'test.mail'),
        buildTestNode('mail2', 'test.mail', {}, { credentialId: 'cred-of-beta' }),
        buildTestNode('nomap', 'transform', { mapping: { y: '1' } }),
      ],
      edges: [
        linkTestNodes('hook', 'ghost'),
        linkTestNodes('hook', 'loop1'),
        linkTestNodes('loop1', 'loop2'),
        linkTestNodes('loop2', 'loop1'),
        linkTestNodes('hook', 'mail', 'nope'),
      ],
    };
    const workflow = await createWorkflow(graph);
    const before = { versions: await countRows('workflow_versions'), triggers: await countRows('webhook_triggers'), events: await countRows('outbox_events') };
    const reply = await publish(workflow.id);
    expect(reply.statusCode).toBe(422);
    const error = reply.json().error;
    expect(error.code).toBe('WORKFLOW_INVALID');
    const found = (error.details as { code: string; nodeId?: string }[]).map((problem) => `${problem.code}@${problem.nodeId ?? '-'}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'multiple_triggers@hook2',
        'unknown_node_type@mystery',
        'invalid_param@nomap',
        'invalid_expression@badexpr',
        'dangling_edge@hook',
        'cycle@loop1',
        'cycle@loop2',
        'missing_credential@mail',
        'invalid_credential@mail2',
        'duplicate_node_id@nomap',
        'unknown_port@hook',
      ]),
    );
    expect({ versions: await countRows('workflow_versions'), triggers: await countRows('webhook_triggers'), events: await countRows('outbox_events') }).toEqual(before);
  });

  it('refuses a graph without a trigger', async () => {
    const workflow = await createWorkflow({ nodes: [buildTestNode('t', 'transform', { mapping: { a: '1' } })], edges: [] });
    const reply = await publish(workflow.id);
    expect(reply.statusCode).toBe(422);
    expect(reply.json().error.details).toContainEqual(expect.objectContaining({ code: 'missing_trigger' }));
  });

  it('publishes v1 then v2, points the webhook at the newest version with a stable id, and writes the event and audit', async () => {
    const workflow = await createWorkflow(buildW1Graph('stable'));
    const first = await publish(workflow.id, 'first');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ version: 1 });
    const [trigger1] = await h.workflows.api.catalog.listActiveWebhookTriggers(workflow.id);
    expect(trigger1).toMatchObject({ path: 'stable', method: 'POST', mode: 'sync', workspaceSlug: 'alpha', version: 1 });

    const second = await publish(workflow.id, 'second');
    expect(second.json()).toMatchObject({ version: 2 });
    const [trigger2] = await h.workflows.api.catalog.listActiveWebhookTriggers(workflow.id);
    expect(trigger2).toMatchObject({ triggerId: trigger1!.triggerId, version: 2, versionId: second.json().versionId });

    const events = await queryRows<{ payload: { version: number } }>(
      h.database.db,
      sql`SELECT payload FROM outbox_events WHERE name = 'workflows.version.published' AND payload->>'workflowId' = ${workflow.id} ORDER BY id`,
    );
    expect(events.map((event) => event.payload.version)).toEqual([1, 2]);
    expect(h.audits.filter((entry) => entry.target?.id === workflow.id).map((entry) => entry.action)).toEqual(['workflow.published', 'workflow.published']);

    const versions = await h.app.inject({ method: 'GET', url: url(`/${workflow.id}/versions`), ...asUser(h.alice) });
    expect(versions.json().items.map((v: { version: number; message: string }) => `${v.version}:${v.message}`)).toEqual(['2:second', '1:first']);
    const one = await h.app.inject({ method: 'GET', url: url(`/${workflow.id}/versions/1`), ...asUser(h.alice) });
    expect(one.json()).toMatchObject({ version: 1, message: 'first', graph: buildW1Graph('stable') });
    expect((await h.app.inject({ method: 'GET', url: url(`/${workflow.id}/versions/9`), ...asUser(h.alice) })).statusCode).toBe(404);
  });

  it('refuses a webhook path another workflow of the workspace listens on (409) and leaves no version', async () => {
    const owner = await createWorkflow(buildW1Graph('taken'));
    expect((await publish(owner.id)).statusCode).toBe(201);
    const rival = await createWorkflow(buildW1Graph('taken'));
    const versionsBefore = await countRows('workflow_versions');
    const reply = await publish(rival.id);
    expect(reply.statusCode).toBe(409);
    expect(reply.json().error).toMatchObject({ code: 'WORKFLOW_WEBHOOK_PATH_TAKEN', details: { paths: ['taken'] } });
    expect(await countRows('workflow_versions')).toBe(versionsBefore);
    // The same path in another workspace is fine.
    const elsewhere = await h.app.inject({ method: 'POST', url: url('', 'beta'), ...asUser(h.bob), payload: { name: 'B', graph: buildW1Graph('taken') } });
    const published = await h.app.inject({ method: 'POST', url: url(`/${elsewhere.json().id}/publish`, 'beta'), ...asUser(h.bob), payload: {} });
    expect(published.statusCode).toBe(201);
  });

  it('two workflows publishing the same path at once: one wins, the other gets 409', async () => {
    const [first, second] = [await createWorkflow(buildW1Graph('raced')), await createWorkflow(buildW1Graph('raced'))];
    const replies = await Promise.all([publish(first.id), publish(second.id)]);
    expect(replies.map((reply) => reply.statusCode).sort()).toEqual([201, 409]);
    expect(replies.find((reply) => reply.statusCode === 409)!.json().error.code).toBe('WORKFLOW_WEBHOOK_PATH_TAKEN');
  });

  it('keeps published graphs immutable in the database', async () => {
    const workflow = await createWorkflow(buildW1Graph('frozen'));
    await publish(workflow.id);
    await expect(h.database.db.execute(sql`UPDATE workflow_versions SET graph = '{}'::jsonb WHERE workflow_id = ${workflow.id}`)).rejects.toThrow();
  });
});

describe('rollback and diff', () => {
  it('diffs two versions, then rolls back by publishing the old graph as a new version', async () => {
    const workflow = await createWorkflow(buildW1Graph('diffed'));
    await publish(workflow.id);
    const changed = buildW1Graph('diffed');
    changed.nodes[1]!.params = { source: 'body', mapping: { sum: 'a + 2', greeting: '"hi " & name' } };
    changed.nodes.push(buildTestNode('extra', 'respond', { status: 201 }));
    changed.edges = [changed.edges[0]!, linkTestNodes('shape', 'extra')];
    await h.app.inject({ method: 'PATCH', url: url(`/${workflow.id}`), ...asUser(h.alice), payload: { graph: changed } });
    await publish(workflow.id);

    const diff = await h.app.inject({ method: 'GET', url: url(`/${workflow.id}/versions/1/diff/2`), ...asUser(h.alice) });
    expect(diff.statusCode).toBe(200);
    expect(diff.json()).toEqual({
      nodes: { added: ['extra'], removed: [], changed: [{ nodeId: 'shape', paths: ['params.mapping.sum'] }] },
      edges: { added: [linkTestNodes('shape', 'extra')], removed: [linkTestNodes('shape', 'reply')] },
    });
    const draftDiff = await h.app.inject({ method: 'GET', url: url(`/${workflow.id}/versions/2/diff/draft`), ...asUser(h.alice) });
    expect(draftDiff.json().nodes).toEqual({ added: [], removed: [], changed: [] });

    const rollback = await h.app.inject({ method: 'POST', url: url(`/${workflow.id}/rollback`), ...asUser(h.alice), payload: { version: 1 } });
    expect(rollback.statusCode).toBe(201);
    expect(rollback.json().version).toBe(3);
    const back = await h.app.inject({ method: 'GET', url: url(`/${workflow.id}/versions/1/diff/3`), ...asUser(h.alice) });
    expect(back.json()).toEqual({ nodes: { added: [], removed: [], changed: [] }, edges: { added: [], removed: [] } });
    expect(h.audits.at(-1)).toMatchObject({ action: 'workflow.rolled-back', details: { version: 3, rolledBackFrom: 1 } });

    const missing = await h.app.inject({ method: 'POST', url: url(`/${workflow.id}/rollback`), ...asUser(h.alice), payload: { version: 99 } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('WORKFLOW_VERSION_NOT_FOUND');
    const badRef = await h.app.inject({ method: 'GET', url: url(`/${workflow.id}/versions/x/diff/2`), ...asUser(h.alice) });
    expect(badRef.statusCode).toBe(400);
  });
});

describe('export and import', () => {
  it('round-trips: export → import → export is byte-identical', async () => {
    const workflow = await createWorkflow(buildW1Graph('exported'), 'Exported');
    await h.app.inject({ method: 'PATCH', url: url(`/${workflow.id}`), ...asUser(h.alice), payload: { description: 'Says hi', settings: { savingPolicy: 'failed' } } });
    const exported = await h.app.inject({ method: 'GET', url: url(`/${workflow.id}/export`), ...asUser(h.alice) });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('application/json');
    const text = exported.body;
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "description": "Says hi",\n');
    expect(Object.keys(JSON.parse(text))).toEqual(['description', 'graph', 'name', 'settings', 'version', 'weft']);

    const imported = await h.app.inject({ method: 'POST', url: url('/import', 'beta'), ...asUser(h.bob), payload: { document: JSON.parse(text), publish: true } });
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({ workflow: { name: 'Exported', settings: { savingPolicy: 'failed' } }, published: { version: 1 } });
    const again = await h.app.inject({ method: 'GET', url: url(`/${imported.json().workflow.id}/export`, 'beta'), ...asUser(h.bob) });
    expect(again.body).toBe(text);
  });

  it('refuses an invalid document (400) or graph (422) and writes nothing', async () => {
    const before = await countRows('workflows');
    const notDocument = await h.app.inject({ method: 'POST', url: url('/import'), ...asUser(h.alice), payload: { document: { weft: 'bot', name: 'x' } } });
    expect(notDocument.statusCode).toBe(400);
    const invalidGraph = {
      weft: 'workflow',
      version: 1,
      name: 'Broken',
      graph: { nodes: [buildTestNode('only', 'transform', { mapping: { a: '1' } })], edges: [] },
    };
    const refused = await h.app.inject({ method: 'POST', url: url('/import'), ...asUser(h.alice), payload: { document: invalidGraph } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('WORKFLOW_INVALID');
    expect(await countRows('workflows')).toBe(before);
  });
});

describe('privacy inventory', () => {
  it('classifies every column of the workflows tables', async () => {
    const tables = workflowsInventories.map((inventory) => inventory.table);
    const columns = await queryRows<{ table_name: string; column_name: string }>(
      h.database.db,
      sql`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()
          AND table_name IN (${sql.join(tables.map((t) => sql`${t}`), sql`, `)})`,
    );
    const live = columns.map((c) => `${c.table_name}.${c.column_name}`).sort();
    const declared = workflowsInventories.flatMap((inventory) => Object.keys(inventory.columns).map((column) => `${inventory.table}.${column}`)).sort();
    expect(live.length).toBeGreaterThan(0);
    expect(declared).toEqual(live);
  });
});
