import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile-workflow';
import { executeRun } from '../execute-run';
import { createMemoryRunStore } from '../run-store';
import { buildNode, silentLogger } from '../workflow-fixtures';
import { createCoreNodeRegistry } from './core-nodes';

describe('trigger.discord-command', () => {
  it('outputs the normalized interaction it was started with, for the next nodes to read', async () => {
    const graph = {
      nodes: [buildNode('command', 'trigger.discord-command'), buildNode('reply', 'respond', { body: 'Hello {{ user.username }}' })],
      edges: [{ from: 'command', fromPort: 'main', to: 'reply', toPort: 'main' }],
    };
    const interaction = { kind: 'command', commandName: 'hello', options: { times: 2 }, user: { id: '80351110224678912', username: 'ada' } };
    const outcome = await executeRun(compileWorkflow(graph, createCoreNodeRegistry()), { runId: 'd', triggerOutput: interaction, store: createMemoryRunStore(), logger: silentLogger });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps[0]).toMatchObject({ nodeId: 'command', output: interaction });
    expect(outcome.response).toMatchObject({ body: 'Hello ada' });
  });
});
