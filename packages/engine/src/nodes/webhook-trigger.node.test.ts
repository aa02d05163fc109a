import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compile-workflow';
import { validateGraph } from '../validate-graph';
import { W1_PAYLOAD, buildNode, buildW1Graph } from '../workflow-fixtures';
import { createCoreNodeRegistry } from './core-nodes';
import { WebhookTriggerParams } from './webhook-trigger.node';

const registry = createCoreNodeRegistry();

describe('trigger.webhook', () => {
  it('defaults to POST, sync and no auth', () => {
    expect(WebhookTriggerParams.parse({ path: 'orders/new' })).toEqual({ path: 'orders/new', method: 'POST', mode: 'sync', auth: { type: 'none' } });
  });

  it('accepts bearer, basic and HMAC auth settings (GitHub, Stripe and generic styles)', () => {
    const hmac = { type: 'hmac-sha256', style: 'generic', header: 'x-signature', timestampHeader: 'x-timestamp', toleranceSeconds: 300, credentialId: 'c1' };
    expect(WebhookTriggerParams.parse({ path: 'a', auth: hmac }).auth).toEqual(hmac);
    expect(WebhookTriggerParams.parse({ path: 'a', auth: { type: 'hmac-sha256', style: 'stripe', credentialId: 'c1' } }).auth).toEqual({
      type: 'hmac-sha256',
      style: 'stripe',
      credentialId: 'c1',
      toleranceSeconds: 300,
    });
    expect(WebhookTriggerParams.parse({ path: 'a', auth: { type: 'bearer', credentialId: 'c2' } }).auth).toEqual({ type: 'bearer', credentialId: 'c2' });
    expect(WebhookTriggerParams.parse({ path: 'a', auth: { type: 'basic', credentialId: 'c3' } }).auth).toEqual({ type: 'basic', credentialId: 'c3' });
    expect(WebhookTriggerParams.parse({ path: 'a', contentTypes: ['json', 'form'] }).contentTypes).toEqual(['json', 'form']);
  });

  it('rejects unsafe paths, unknown methods and incomplete HMAC settings', () => {
    for (const path of ['', '/lead', 'a//b', 'a b', 'a?b', 'x'.repeat(201)]) {
      expect(WebhookTriggerParams.safeParse({ path }).success, path).toBe(false);
    }
    expect(WebhookTriggerParams.safeParse({ path: 'a', method: 'TRACE' }).success).toBe(false);
    expect(WebhookTriggerParams.safeParse({ path: 'a', auth: { type: 'hmac-sha256' } }).success).toBe(false);
    expect(WebhookTriggerParams.safeParse({ path: 'a', auth: { type: 'hmac-sha256', credentialId: 'c1' } }).success, 'generic needs a header').toBe(false);
    expect(WebhookTriggerParams.safeParse({ path: 'a', auth: { type: 'bearer' } }).success, 'bearer needs a credential').toBe(false);
    expect(WebhookTriggerParams.safeParse({ path: 'a', contentTypes: ['xml'] }).success).toBe(false);
  });

  it('is reported by the validator at the param path', () => {
    const graph = { nodes: [buildNode('hook', 'trigger.webhook', { path: 'bad path' })], edges: [] };
    expect(validateGraph(graph, registry)).toEqual([expect.objectContaining({ code: 'invalid_param', nodeId: 'hook', path: 'nodes[0].params.path' })]);
  });

  it('outputs the request the host hands it', async () => {
    const { executeRun } = await import('../execute-run');
    const { createMemoryRunStore } = await import('../run-store');
    const { silentLogger } = await import('../workflow-fixtures');
    const outcome = await executeRun(compileWorkflow(buildW1Graph(), registry), {
      runId: 'w',
      triggerOutput: W1_PAYLOAD,
      store: createMemoryRunStore(),
      logger: silentLogger,
    });
    expect(outcome.steps[0]).toMatchObject({ nodeId: 'hook', output: W1_PAYLOAD });
  });
});
