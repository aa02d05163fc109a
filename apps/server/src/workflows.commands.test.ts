import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreNodeRegistry } from '@weft/engine';
import { newId, systemClock } from '@weft/kernel';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { createWorkflowsModule, type WorkflowsModule } from '@weft/workflows';
import { describeImportedWorkflow, describeImportFailure, importWorkflowFile, type WorkflowCommandApis } from './workflows.commands';

const W1_FILE = resolve(import.meta.dirname, '../../../examples/w1.workflow.json');
let database: TestDatabase;
let workflows: WorkflowsModule;
let apis: WorkflowCommandApis;
const workspace = { id: newId(), slug: 'cli-space' };

beforeAll(async () => {
  database = await createTestDatabase();
  workflows = createWorkflowsModule({
    database,
    clock: systemClock,
    registry: createCoreNodeRegistry(),
    requireWorkspaceAccess: () => Promise.reject(new Error('not used by the CLI')),
    audit: { recordAudit: async () => undefined },
  });
  apis = { workflows: workflows.api, findWorkspace: async (ref) => (ref === workspace.slug || ref === workspace.id ? workspace : null) };
});
afterAll(async () => {
  await database.close();
});

describe('weft import FILE --workspace W --publish', () => {
  it('imports W1 and publishes it', async () => {
    const summary = await importWorkflowFile({ file: W1_FILE, workspace: 'cli-space', publish: true }, apis);
    expect(summary).toMatchObject({ name: 'W1: webhook greeting', workspace: 'cli-space', version: 1 });
    expect(describeImportedWorkflow(summary)).toContain('published version 1');
    const [trigger] = await workflows.api.catalog.listActiveWebhookTriggers(summary.workflowId);
    expect(trigger).toMatchObject({ path: 'w1', workspaceSlug: 'cli-space' });
  });

  it('refuses an unknown workspace, a file that is not JSON and a graph with problems, listing them', async () => {
    await expect(importWorkflowFile({ file: W1_FILE, workspace: 'nope', publish: false }, apis)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const folder = mkdtempSync(join(tmpdir(), 'weft-import-'));
    writeFileSync(join(folder, 'bad.json'), '{ not json');
    await expect(importWorkflowFile({ file: join(folder, 'bad.json'), workspace: 'cli-space', publish: false }, apis)).rejects.toMatchObject({ code: 'WORKFLOW_DOCUMENT_INVALID' });
    const invalid = { weft: 'workflow', version: 1, name: 'Broken', graph: { nodes: [], edges: [] } };
    writeFileSync(join(folder, 'invalid.json'), JSON.stringify(invalid));
    const failure = await importWorkflowFile({ file: join(folder, 'invalid.json'), workspace: 'cli-space', publish: true }, apis).catch((error: unknown) => error);
    expect(describeImportFailure(failure)).toMatch(/^WORKFLOW_INVALID: .*\n {2}- nodes: A workflow needs exactly one trigger node/);
  });
});
