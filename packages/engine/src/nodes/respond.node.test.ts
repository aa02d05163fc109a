import { describe, expect, it } from 'vitest';
import { buildNode, runAfterTrigger } from '../workflow-fixtures';
import { respondNode } from './respond.node';

describe('respond', () => {
  it('replies 200 with the input when given nothing else', async () => {
    const outcome = await runAfterTrigger(buildNode('reply', 'respond'), { ok: true });
    expect(outcome.response).toEqual({ status: 200, body: { ok: true }, headers: {} });
  });

  it('builds status, body and headers from templates', async () => {
    const node = buildNode('reply', 'respond', {
      status: '{{ found ? 200 : 404 }}',
      body: { id: '{{ id }}', message: 'item {{ id }} here' },
      headers: { 'x-item': '{{ $string(id) }}' },
    });
    const outcome = await runAfterTrigger(node, { found: false, id: 7 });
    expect(outcome.response).toEqual({ status: 404, body: { id: 7, message: 'item 7 here' }, headers: { 'x-item': '7' } });
  });

  it('fails the step when a template yields an impossible status', async () => {
    const outcome = await runAfterTrigger(buildNode('reply', 'respond', { status: '{{ 42 }}' }), {});
    expect(outcome).toMatchObject({ status: 'failed', error: { nodeId: 'reply', code: 'ENGINE_PARAMS_INVALID' } });
    expect(outcome.response).toBeUndefined();
  });

  it('is the response node by its flag, not by its type name', () => {
    expect(respondNode.isResponse).toBe(true);
  });
});
