import { afterAll, describe, expect, it } from 'vitest';
import { createCodeSandbox } from './create-code-sandbox';

const sandbox = createCodeSandbox({ memoryLimitMb: 64, timeoutMs: 30_000, maxIsolates: 3 });
afterAll(() => sandbox.dispose());

const run = (code: string, extra: Partial<Parameters<typeof sandbox.runCode>[0]> = {}) => sandbox.runCode({ code, input: { n: 2 }, nodes: { start: { who: 'ada' } }, ...extra });

describe('createCodeSandbox', () => {
  it('runs the code as an async function of (input, $nodes) and returns its JSON result with the captured console', async () => {
    const result = await run(`
      console.log('n is', input.n, { deep: [1] });
      console.warn('careful');
      console.error(new Error('shown as text'));
      await null;
      return { double: input.n * 2, who: $nodes.start.who, when: new Date(0) };
    `);
    expect(result).toEqual({
      result: { double: 4, who: 'ada', when: '1970-01-01T00:00:00.000Z' },
      logs: [
        { level: 'log', message: 'n is 2 {"deep":[1]}' },
        { level: 'warn', message: 'careful' },
        { level: 'error', message: '{}' },
      ],
    });
    expect((await run('input.n++;')).result).toBeNull();
  });

  it('gets copies: changing the input inside does not change the host object', async () => {
    const input = { list: [1] };
    await sandbox.runCode({ code: 'input.list.push(2); return input;', input, nodes: {} });
    expect(input).toEqual({ list: [1] });
  });

  it('cannot reach process, require, import, the file system or the network', async () => {
    const { result } = await run(`
      const dynamicImport = await import('node:fs').then(() => 'loaded', (error) => 'refused: ' + error.message);
      return {
        process: typeof process,
        require: typeof require,
        module: typeof module,
        fetch: typeof fetch,
        XMLHttpRequest: typeof XMLHttpRequest,
        WebSocket: typeof WebSocket,
        escapeByConstructor: (function () { return this.constructor.constructor('return typeof process')(); })(),
        globalProcess: typeof Function('return this')().process,
        WebAssembly: typeof WebAssembly,
        dynamicImport,
      };
    `);
    expect(result).toMatchObject({
      process: 'undefined',
      require: 'undefined',
      module: 'undefined',
      fetch: 'undefined',
      XMLHttpRequest: 'undefined',
      WebSocket: 'undefined',
      escapeByConstructor: 'undefined',
      globalProcess: 'undefined',
      WebAssembly: 'undefined',
    });
    expect((result as { dynamicImport: string }).dynamicImport).toMatch(/^refused/);
    await expect(run("return require('fs').readFileSync('/etc/passwd', 'utf8');")).rejects.toMatchObject({
      code: 'ENGINE_CODE_FAILED',
      message: 'ReferenceError: require is not defined',
    });
  });

  it('stops an infinite loop at the time limit with a clear error while the host keeps serving', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const startedAt = Date.now();
    await expect(run('while (true) {}', { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'ENGINE_CODE_TIMEOUT',
      message: 'The code ran longer than its 300 ms limit and was stopped',
    });
    clearInterval(ticker);
    // Stopped near its limit, not after the pool's 30 s ceiling (slack for a busy machine).
    expect(Date.now() - startedAt).toBeLessThan(5000);
    // The loop ran on the isolate's thread: the host's event loop went on ticking. A blocked host
    // would tick once, after the loop; a loaded two-core CI machine managed 9 of the ideal 30.
    expect(ticks).toBeGreaterThan(3);
    expect((await run('return 1 + 1;')).result).toBe(2);
  });

  it('stops an endless loop that starts after an await', async () => {
    await expect(run('await Promise.resolve(); for (;;) {}', { timeoutMs: 300 })).rejects.toMatchObject({ code: 'ENGINE_CODE_TIMEOUT' });
  });

  it('stops a memory bomb at the memory limit, replaces the isolate, and the next step runs fine', async () => {
    const bomb = sandbox.forKey('bomb');
    await expect(
      bomb.runCode({ code: 'const hoard = []; while (true) hoard.push(new Array(1e6).fill(Math.random()));', input: null, nodes: {} }),
    ).rejects.toMatchObject({ code: 'ENGINE_CODE_MEMORY_LIMIT', message: 'The code used more than its 64 MB memory limit and was stopped' });
    expect(await bomb.runCode({ code: 'return [1, 2, 3].map((x) => x * 2);', input: null, nodes: {} })).toEqual({ result: [2, 4, 6], logs: [] });
  });

  it('reports thrown errors, syntax errors and non-JSON results with the logs so far', async () => {
    const failure = await run("console.log('before');\nthrow new TypeError('bad input');").catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ENGINE_CODE_FAILED', message: 'TypeError: bad input', details: { logs: [{ level: 'log', message: 'before' }] } });
    expect((failure as { details: { stack: string } }).details.stack).toContain('code.js:2');
    await expect(run('return {;')).rejects.toMatchObject({ code: 'ENGINE_CODE_FAILED', message: expect.stringContaining('SyntaxError') });
    await expect(run('const a = {}; a.self = a; return a;')).rejects.toMatchObject({ message: expect.stringContaining('not JSON') });
  });

  it('keeps one isolate per key, a fresh global scope per step, and evicts the least recently used idle isolate', async () => {
    const pool = createCodeSandbox({ maxIsolates: 2 });
    try {
      const a = pool.forKey('workspace-a');
      await a.runCode({ code: 'globalThis.leak = 1; return 1;', input: null, nodes: {} });
      expect((await a.runCode({ code: 'return typeof leak;', input: null, nodes: {} })).result).toBe('undefined');
      await pool.forKey('workspace-b').runCode({ code: 'return 1;', input: null, nodes: {} });
      expect(pool.isolateCount).toBe(2);
      await pool.forKey('workspace-c').runCode({ code: 'return 1;', input: null, nodes: {} });
      expect(pool.isolateCount).toBe(2);
    } finally {
      pool.dispose();
    }
    await expect(pool.runCode({ code: 'return 1;', input: null, nodes: {} })).rejects.toMatchObject({ code: 'ENGINE_SANDBOX_BUSY' });
  });

  it('bridges fetch to the host function only, returning { status, headers, text }', async () => {
    const seen: unknown[] = [];
    const { result } = await run(
      `const reply = await fetch('https://api.test/x', { method: 'post', headers: { 'x-n': 1 }, body: JSON.stringify(input) });
       return { status: reply.status, type: reply.headers['content-type'], data: JSON.parse(reply.text) };`,
      { fetch: (request) => (seen.push(request), Promise.resolve({ status: 201, headers: { 'content-type': 'application/json' }, text: '{"ok":true}' })) },
    );
    expect(seen).toEqual([{ url: 'https://api.test/x', method: 'POST', headers: { 'x-n': '1' }, body: '{"n":2}' }]);
    expect(result).toEqual({ status: 201, type: 'application/json', data: { ok: true } });
  });
});
