import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '@weft/kernel';
import { compileWorkflow } from './compile-workflow';
import { createNodeRegistry, defineNode } from './define-node';
import { executeRun } from './execute-run';
import { coreNodes } from './nodes/core-nodes';
import { createMemoryRunStore } from './run-store';
import { CREDENTIAL_SECRETS, REDACTED_MARK, redactValue } from './secret-redaction';
import { buildNode, linkNodes } from './workflow-fixtures';

const SECRET = 'sk_live_5f3a9c0e77d1';

/** Loads its credential, echoes it in its output, and fails its first try with the secret in the message. */
let tries = 0;
const leakyNode = defineNode({
  type: 'test.leaky',
  version: 1,
  name: 'Leaky',
  description: 'Quotes its secret everywhere',
  kind: 'action',
  params: z.object({}),
  ports: { inputs: ['main'], outputs: ['main'] },
  credentialType: 'test.key',
  async run({ credentials }) {
    const { key } = await credentials.get();
    tries += 1;
    if (tries === 1) throw new Error(`upstream refused key ${String(key)}`);
    return { header: `Bearer ${String(key)}`, nested: { [String(key)]: [String(key)] } };
  },
});
const registry = createNodeRegistry([...coreNodes, leakyNode]);

describe('secrets of the credentials a run loads', () => {
  it('never appear in stored steps, the stored error or the logs, while the next step gets the real value', async () => {
    let logged = '';
    const logger = createLogger({ level: 'debug', format: 'json', destination: new Writable({ write: (chunk, _encoding, done) => ((logged += String(chunk)), done()) }) });
    const graph = {
      nodes: [
        buildNode('start', 'trigger.manual'),
        buildNode('leak', 'test.leaky', {}, { credentialId: 'c1', retry: { attempts: 2, backoffMs: 1, maxBackoffMs: 1 } }),
        buildNode('use', 'transform', { mapping: { sawRealValue: `header = "Bearer ${SECRET}"`, copy: 'header' } }),
      ],
      edges: [linkNodes('start', 'leak'), linkNodes('leak', 'use')],
    };
    const outcome = await executeRun(compileWorkflow(graph, registry), {
      runId: 'r1',
      triggerOutput: {},
      store: createMemoryRunStore(),
      logger,
      sleep: () => Promise.resolve(),
      credentials: () => Promise.resolve(Object.assign({ key: SECRET }, { [CREDENTIAL_SECRETS]: [SECRET] })),
    });
    expect(outcome.status).toBe('succeeded');
    const use = outcome.steps.find((step) => step.nodeId === 'use')!;
    expect((use.output as { sawRealValue: boolean }).sawRealValue).toBe(true);
    expect(use.output).toEqual({ sawRealValue: true, copy: `Bearer ${REDACTED_MARK}` });
    expect(JSON.stringify(outcome.steps)).not.toContain(SECRET);
    expect(logged).toContain('step failed; retrying');
    expect(logged).not.toContain(SECRET);
    expect(outcome.secrets).toEqual([SECRET]);
  });

  it('redacts inside strings, keys and arrays and leaves values without secrets as they are', () => {
    const value = { a: `x${SECRET}y`, [SECRET]: [SECRET, 1, null], kept: { deep: true } };
    expect(redactValue(value, [SECRET])).toEqual({ a: `x${REDACTED_MARK}y`, [REDACTED_MARK]: [REDACTED_MARK, 1, null], kept: { deep: true } });
    expect(redactValue(42, [SECRET])).toBe(42);
  });
});
