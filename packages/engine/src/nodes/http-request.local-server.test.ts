import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse, HttpService } from '../node-services';
import { buildNode, runAfterTrigger } from '../workflow-fixtures';

/**
 * The smallest real HttpService: fetch with the limits applied. The host's
 * egress client replaces it in production (and refuses 127.0.0.1, which this
 * test needs); here it proves the node speaks real HTTP.
 */
function createFetchHttpService(): HttpService {
  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      const signals = [AbortSignal.timeout(request.timeoutMs), ...(request.signal ? [request.signal] : [])];
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        redirect: request.maxRedirects === 0 ? 'manual' : 'follow',
        signal: AbortSignal.any(signals),
      });
      const body = Buffer.from(await response.arrayBuffer());
      if (body.length > request.maxResponseBytes) throw new Error('response too large');
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name] = value));
      return { status: response.status, headers, body, url: response.url };
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

let server: Server;
let baseUrl: string;
let flakyHits = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      if (request.url?.startsWith('/flaky') && ++flakyHits === 1) {
        response.writeHead(503, { 'retry-after': '0' }).end('busy');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ method: request.method, url: request.url, auth: request.headers.authorization ?? null, type: request.headers['content-type'] ?? null, body }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('http.request against a real local server', () => {
  it('sends query, auth and a JSON body over HTTP, retries a 503 and parses the JSON reply', async () => {
    const node = buildNode(
      'call',
      'http.request',
      { method: 'POST', url: `${baseUrl}/flaky`, query: { q: 'a b' }, auth: 'bearer-token', body: { type: 'json', value: { n: '{{ n }}' } } },
      { credentialId: 'c' },
    );
    const outcome = await runAfterTrigger(node, { n: 5 }, {
      services: { http: createFetchHttpService() },
      credentials: () => Promise.resolve({ token: 'local-token' }),
    });
    expect(outcome.status).toBe('succeeded');
    expect(flakyHits).toBe(2);
    expect(outcome.steps[1]!.output).toMatchObject({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { method: 'POST', url: '/flaky?q=a+b', auth: 'Bearer local-token', type: 'application/json', body: '{"n":5}' },
    });
  });
});
