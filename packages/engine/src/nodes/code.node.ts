import { z } from 'zod';
import { defineNode } from '../define-node';
import { requireService, type CodeFetchRequest, type CodeFetchResponse, type CodeSandbox, type HttpService } from '../node-services';

/** Code steps are glue, not batch jobs: these bound what one step can pull through `fetch`. */
const MAX_FETCHES_PER_STEP = 20;
const FETCH_TIMEOUT_MS = 10_000;
const FETCH_MAX_RESPONSE_BYTES = 1024 * 1024;
const FETCH_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export const CodeParams = z.object({
  code: z
    .string()
    .min(1)
    .max(100_000)
    .describe(
      'JavaScript: the body of async (input, $nodes) => { … }. Return JSON. console.log/warn/error are captured; ' +
        'fetch(url, { method, headers, body }) resolves to { status, headers, text } when the host allows HTTP. No Node APIs.',
    ),
  timeoutMs: z.number().int().min(1).max(60_000).optional().describe("Wall-clock limit for this step; the host's own limit wins when lower"),
});
export type CodeParams = z.infer<typeof CodeParams>;

export interface CodeOutput {
  readonly result: unknown;
  readonly logs: readonly { readonly level: string; readonly message: string }[];
}

/**
 * `fetch` for user code, over the host's HTTP service so the egress rules
 * (no private addresses) hold inside the sandbox too. Failures reach the code
 * as rejected promises it may catch.
 */
function createCodeFetch(http: HttpService, signal: AbortSignal): (request: CodeFetchRequest) => Promise<CodeFetchResponse> {
  let calls = 0;
  return async (request) => {
    if (++calls > MAX_FETCHES_PER_STEP) throw new Error(`A code step may call fetch at most ${MAX_FETCHES_PER_STEP} times`);
    if (!FETCH_METHODS.has(request.method)) throw new Error(`fetch: unsupported method ${request.method}`);
    if (!/^https?:\/\//i.test(request.url)) throw new Error('fetch: only http(s) URLs can be fetched');
    const response = await http.request({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body,
      timeoutMs: FETCH_TIMEOUT_MS,
      maxResponseBytes: FETCH_MAX_RESPONSE_BYTES,
      maxRedirects: 5,
      signal,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.status, headers, text: response.body.toString('utf8') };
  };
}

/** Runs user JavaScript in the host's isolated-vm sandbox (`services.sandbox`, see `createCodeSandbox`). */
export const codeNode = defineNode({
  type: 'code',
  version: 1,
  name: 'Code',
  description: 'Runs JavaScript in an isolated sandbox (64 MB, time limit, no Node APIs); outputs { result, logs }.',
  kind: 'action',
  params: CodeParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  // The code may call APIs through fetch.
  hasSideEffects: true,
  // JavaScript braces must never be read as `{{ }}` templates.
  rawParams: ['code'],
  async run({ params, input, nodes, services, signal }) {
    const sandbox = requireService<CodeSandbox>(services, 'sandbox', 'code');
    const http = services.http;
    const { result, logs } = await sandbox.runCode({
      code: params.code,
      input,
      nodes,
      ...(params.timeoutMs === undefined ? {} : { timeoutMs: params.timeoutMs }),
      signal,
      ...(http === undefined ? {} : { fetch: createCodeFetch(http, signal) }),
    });
    const output: CodeOutput = { result, logs };
    return { output };
  },
});
