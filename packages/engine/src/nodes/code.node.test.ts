import { afterAll, describe, expect, it } from 'vitest';
import type { HttpRequest } from '../node-services';
import { createCodeSandbox } from '../sandbox/create-code-sandbox';
import { buildNode, runAfterTrigger } from '../workflow-fixtures';

// A generous time ceiling: on a busy machine the memory bomb must meet the memory limit first.
const pool = createCodeSandbox({ memoryLimitMb: 64, timeoutMs: 30_000, maxIsolates: 4 });
afterAll(() => pool.dispose());
const sandbox = pool.forKey('workspace-1');

function runCode(code: string, input: unknown, extra: Record<string, unknown> = {}, services: Record<string, unknown> = { sandbox }) {
  return runAfterTrigger(buildNode('script', 'code', { code, ...extra }), input, { services });
}

describe('code', () => {
  it('outputs { result, logs } from code that reads input and $nodes', async () => {
    const outcome = await runCode("console.log('items', input.items.length);\nreturn input.items.map((n) => n * 10).concat($nodes.start.items.length);", { items: [1, 2] });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.steps[1]!.output).toEqual({ result: [10, 20, 2], logs: [{ level: 'log', message: 'items 2' }] });
  });

  it('reads its code as written: {{ }} inside JavaScript is not a template', async () => {
    const outcome = await runCode("return '{{ not a template }}';", {});
    expect(outcome.steps[1]!.output).toMatchObject({ result: '{{ not a template }}' });
  });

  it('cannot reach process, require or the network when the host gives it no HTTP', async () => {
    const outcome = await runCode('return [typeof process, typeof require, typeof fetch, typeof globalThis.fs];', {});
    expect(outcome.steps[1]!.output).toMatchObject({ result: ['undefined', 'undefined', 'undefined', 'undefined'] });
  });

  it('stops an infinite loop at the time limit: the step fails clearly with its input, and the next run works', async () => {
    const looping = await runCode('while (true) {}', { attempt: 1 }, { timeoutMs: 250 });
    expect(looping).toMatchObject({ status: 'failed', error: { nodeId: 'script', code: 'ENGINE_CODE_TIMEOUT', message: expect.stringContaining('250 ms') } });
    expect(looping.steps[1]).toMatchObject({ status: 'failed', input: { attempt: 1 } });
    expect((await runCode('return 42;', {})).steps[1]!.output).toMatchObject({ result: 42 });
  });

  it('stops a memory bomb at the memory limit, and the same workspace runs code again right after', async () => {
    const bomb = await runCode("const keep = []; for (let i = 0; ; i++) keep.push('x'.repeat(8e6) + i);", {});
    expect(bomb).toMatchObject({ status: 'failed', error: { code: 'ENGINE_CODE_MEMORY_LIMIT', message: expect.stringContaining('64 MB') } });
    expect((await runCode('return "alive";', {})).steps[1]!.output).toMatchObject({ result: 'alive' });
  });

  it('keeps the logs of failing code in the error details', async () => {
    const outcome = await runCode("console.warn('about to fail');\nthrow new Error('nope');", {});
    expect(outcome.error).toMatchObject({ code: 'ENGINE_CODE_FAILED', message: 'Error: nope', details: { logs: [{ level: 'warn', message: 'about to fail' }] } });
  });

  it("fetches through the host's HTTP service, with limits and the step's signal", async () => {
    const calls: HttpRequest[] = [];
    const http = {
      request: (request: HttpRequest) => {
        calls.push(request);
        return Promise.resolve({ status: 200, headers: { 'content-type': 'text/plain', 'x-many': ['a', 'b'] }, body: Buffer.from('pong'), url: request.url });
      },
    };
    const code = "const r = await fetch('https://api.test/ping?x=' + input.x, { method: 'post', body: 'hi' }); return [r.status, r.text, r.headers['x-many']];";
    const outcome = await runCode(code, { x: 1 }, {}, { sandbox, http });
    expect(outcome.steps[1]!.output).toMatchObject({ result: [200, 'pong', 'a, b'] });
    expect(calls).toEqual([expect.objectContaining({ method: 'POST', url: 'https://api.test/ping?x=1', body: 'hi', maxResponseBytes: 1048576, signal: expect.any(AbortSignal) })]);
    const local = await runCode("return await fetch('file:///etc/passwd').then(() => 'read', (e) => e.message);", {}, {}, { sandbox, http });
    expect(local.steps[1]!.output).toMatchObject({ result: expect.stringContaining('only http(s)') });
  });

  it('says which service is missing when the host wired no sandbox', async () => {
    const outcome = await runCode('return 1;', {}, {}, {});
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'ENGINE_SERVICE_UNAVAILABLE', message: expect.stringContaining('services.sandbox') } });
  });
});
