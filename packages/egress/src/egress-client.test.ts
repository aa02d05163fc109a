import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { AppError, httpStatusForCode } from '@weft/kernel';
import { createEgressClient } from './egress-client';

// Every server here listens on 127.0.0.1; blocked destinations are refused
// before any socket is opened, which the spy on Socket#connect proves.
interface CountingServer {
  server: Server;
  port: number;
  connections: number;
  hits: Map<string, number>;
}

async function startServer(handle: (req: IncomingMessage, res: ServerResponse, self: CountingServer) => void): Promise<CountingServer> {
  const server = createServer();
  const self: CountingServer = { server, port: 0, connections: 0, hits: new Map() };
  server.on('connection', () => (self.connections += 1));
  server.on('request', (req, res) => {
    self.hits.set(req.url!, (self.hits.get(req.url!) ?? 0) + 1);
    handle(req, res, self);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.port = (server.address() as AddressInfo).port;
  return self;
}

let target: CountingServer;
let secret: CountingServer;
let connectSpy: MockInstance;
const resolved: string[] = [];
const FAKE_DNS: Record<string, string[]> = {
  'evil.test': ['10.0.0.5'],
  'mixed.test': ['93.184.216.34', '10.0.0.1'],
  'allowed.test': ['127.0.0.1'],
  'api.allowed.test': ['127.0.0.1'],
};
async function resolveFake(host: string): Promise<string[]> {
  resolved.push(host);
  if (FAKE_DNS[host]) return FAKE_DNS[host]!;
  if (host === 'localhost') return ['127.0.0.1', '::1'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
}

const strict = createEgressClient({ allowPrivateNetworks: false, userAgent: 'weft-test/1', resolve: resolveFake, allowedHosts: ['allowed.test', '*.allowed.test'] });
const strictSystemDns = createEgressClient({ allowPrivateNetworks: false, userAgent: 'weft-test/1' });
const selfHosted = createEgressClient({ allowPrivateNetworks: true, userAgent: 'weft-test/1' });

beforeAll(async () => {
  secret = await startServer((_req, res) => res.end('the secret'));
  target = await startServer((req, res, self) => {
    const base = `http://allowed.test:${self.port}`;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/echo') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() }));
      } else if (req.url === '/to-secret') {
        res.writeHead(302, { location: `http://127.0.0.1:${secret.port}/secret` }).end();
      } else if (req.url === '/to-echo-same-origin') {
        res.writeHead(307, { location: `${base}/echo` }).end();
      } else if (req.url === '/to-echo-other-origin') {
        res.writeHead(307, { location: `http://api.allowed.test:${self.port}/echo` }).end();
      } else if (req.url === '/see-other') {
        res.writeHead(303, { location: '/echo' }).end();
      } else if (req.url === '/loop') {
        res.writeHead(302, { location: '/loop' }).end();
      } else if (req.url === '/to-gopher') {
        res.writeHead(302, { location: 'gopher://allowed.test/' }).end();
      } else if (req.url === '/big') {
        res.end(Buffer.alloc(64 * 1024, 1));
      } else if (req.url === '/big-chunked') {
        for (let i = 0; i < 64; i++) res.write(Buffer.alloc(1024, 1));
        res.end();
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 2_000).unref();
      } else {
        res.end('hello');
      }
    });
  });
});
afterAll(async () => {
  target.server.closeAllConnections();
  await new Promise((resolve) => target.server.close(resolve));
  await new Promise((resolve) => secret.server.close(resolve));
});
beforeEach(() => {
  connectSpy = vi.spyOn(net.Socket.prototype, 'connect');
  resolved.length = 0;
});
afterEach(() => {
  connectSpy.mockRestore();
});

async function expectAppError(promise: Promise<unknown>, code: string, details?: Record<string, unknown>): Promise<AppError> {
  const error = await promise.then(
    () => expect.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (details) expect((error as AppError).details).toMatchObject(details);
  return error as AppError;
}

async function expectRefusedBeforeConnecting(url: string, details: Record<string, unknown>, client = strict) {
  const before = target.connections + secret.connections;
  const error = await expectAppError(client.request({ url }), 'EGRESS_ADDRESS_BLOCKED', details);
  expect(httpStatusForCode(error.code)).toBe(403);
  expect(connectSpy).not.toHaveBeenCalled();
  expect(target.connections + secret.connections).toBe(before);
}

describe('SSRF guard', () => {
  it('refuses the loopback address 127.0.0.1 before connecting', async () => {
    await expectRefusedBeforeConnecting(`http://127.0.0.1:${target.port}/`, { host: '127.0.0.1', address: '127.0.0.1', reason: 'loopback' });
  });

  it('refuses the private address 10.0.0.1 before connecting', async () => {
    await expectRefusedBeforeConnecting('http://10.0.0.1/', { host: '10.0.0.1', reason: 'private' });
  });

  it('refuses the metadata address 169.254.169.254 before connecting', async () => {
    await expectRefusedBeforeConnecting('http://169.254.169.254/latest/meta-data', { host: '169.254.169.254', reason: 'metadata' });
  });

  it('refuses the IPv6 loopback [::1] before connecting', async () => {
    await expectRefusedBeforeConnecting(`http://[::1]:${target.port}/`, { host: '::1', reason: 'loopback' });
    await expectRefusedBeforeConnecting(`http://[::ffff:127.0.0.1]:${target.port}/`, { reason: 'loopback' });
  });

  it('refuses loopback written as a decimal, hex, octal or short number', async () => {
    for (const host of ['2130706433', '0x7f000001', '0x7f.1', '0177.0.0.1', '127.1']) {
      await expectRefusedBeforeConnecting(`http://${host}:${target.port}/`, { address: '127.0.0.1', reason: 'loopback' });
    }
  });

  it('refuses a hostname that resolves to a private address (localhost on the system resolver)', async () => {
    await expectRefusedBeforeConnecting(`http://localhost:${target.port}/`, { host: 'localhost', reason: 'loopback' }, strictSystemDns);
  });

  it('refuses a hostname resolving to a private address, or to a public and a private one', async () => {
    await expectRefusedBeforeConnecting('http://evil.test/', { host: 'evil.test', address: '10.0.0.5', reason: 'private' });
    await expectRefusedBeforeConnecting('http://mixed.test/', { host: 'mixed.test', address: '10.0.0.1', reason: 'private' });
  });

  it('refuses a redirect from an allowed server to a blocked address, and the secret server sees nothing', async () => {
    await expectAppError(strict.request({ url: `http://allowed.test:${target.port}/to-secret` }), 'EGRESS_ADDRESS_BLOCKED', {
      host: '127.0.0.1',
      reason: 'loopback',
    });
    expect(target.hits.get('/to-secret')).toBe(1);
    expect(secret.connections).toBe(0);
  });

  it('connects to the address it checked, with the hostname as Host header (no second DNS lookup)', async () => {
    // allowed.test exists only in the fake resolver: the system resolver is never asked.
    const response = await strict.request({ url: `http://allowed.test:${target.port}/echo` });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString()).headers).toMatchObject({ host: `allowed.test:${target.port}`, 'user-agent': 'weft-test/1' });
    expect(resolved).toEqual(['allowed.test']);
    expect(connectSpy).toHaveBeenCalled(); // the spy sees real connections, so its silence elsewhere means something
  });

  it('lifts the private-network check when the instance allows it, but never for metadata', async () => {
    const response = await selfHosted.request({ url: `http://127.0.0.1:${target.port}/` });
    expect(response.body.toString()).toBe('hello');
    expect((await selfHosted.request({ url: `http://localhost:${target.port}/` })).status).toBe(200);
    connectSpy.mockClear();
    await expectAppError(selfHosted.request({ url: 'http://169.254.169.254/latest/meta-data' }), 'EGRESS_ADDRESS_BLOCKED', { reason: 'metadata' });
    expect(connectSpy).not.toHaveBeenCalled();
  });
});

describe('redirects', () => {
  it('keeps credentials on a same-origin redirect and drops them across origins', async () => {
    const headers = { authorization: 'Bearer top-secret', cookie: 'a=b', 'x-trace': '1' };
    const same = await strict.request({ url: `http://allowed.test:${target.port}/to-echo-same-origin`, headers });
    expect(JSON.parse(same.body.toString()).headers).toMatchObject({ authorization: 'Bearer top-secret', cookie: 'a=b' });
    const other = await strict.request({ url: `http://allowed.test:${target.port}/to-echo-other-origin`, headers });
    const seen = JSON.parse(other.body.toString()).headers;
    expect(seen.authorization).toBeUndefined();
    expect(seen.cookie).toBeUndefined();
    expect(seen['x-trace']).toBe('1');
    expect(other.url).toBe(`http://api.allowed.test:${target.port}/echo`);
  });

  it('turns a POST into a GET without body on 303', async () => {
    const response = await strict.request({ method: 'POST', url: `http://allowed.test:${target.port}/see-other`, body: 'payload', headers: { 'content-type': 'text/plain' } });
    expect(JSON.parse(response.body.toString())).toMatchObject({ method: 'GET', body: '' });
  });

  it('stops after maxRedirects with EGRESS_TOO_MANY_REDIRECTS', async () => {
    target.hits.delete('/loop');
    const error = await expectAppError(strict.request({ url: `http://allowed.test:${target.port}/loop`, maxRedirects: 3 }), 'EGRESS_TOO_MANY_REDIRECTS');
    expect(httpStatusForCode(error.code)).toBe(502);
    expect(target.hits.get('/loop')).toBe(4);
  });

  it('returns the redirect itself when maxRedirects is 0', async () => {
    const response = await strict.request({ url: `http://allowed.test:${target.port}/loop`, maxRedirects: 0 });
    expect(response.status).toBe(302);
  });

  it('refuses a redirect to another protocol', async () => {
    await expectAppError(strict.request({ url: `http://allowed.test:${target.port}/to-gopher` }), 'EGRESS_PROTOCOL_NOT_ALLOWED');
  });
});

describe('limits and errors', () => {
  it('refuses a response over maxResponseBytes, declared or streamed', async () => {
    for (const path of ['/big', '/big-chunked']) {
      const error = await expectAppError(strict.request({ url: `http://allowed.test:${target.port}${path}`, maxResponseBytes: 16 * 1024 }), 'EGRESS_RESPONSE_TOO_LARGE', { maxBytes: 16 * 1024 });
      expect(httpStatusForCode(error.code)).toBe(502);
    }
    const fits = await strict.request({ url: `http://allowed.test:${target.port}/big-chunked`, maxResponseBytes: 64 * 1024 });
    expect(fits.body.length).toBe(64 * 1024);
  });

  it('gives up after timeoutMs with EGRESS_TIMEOUT', async () => {
    const started = Date.now();
    const error = await expectAppError(strict.request({ url: `http://allowed.test:${target.port}/slow`, timeoutMs: 200 }), 'EGRESS_TIMEOUT');
    expect(httpStatusForCode(error.code)).toBe(504);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('passes the caller’s abort reason through', async () => {
    const controller = new AbortController();
    const pending = strict.request({ url: `http://allowed.test:${target.port}/slow`, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('run cancelled')), 50);
    await expect(pending).rejects.toThrow('run cancelled');
  });

  it('accepts only http and https URLs', async () => {
    await expectAppError(strict.request({ url: 'ftp://allowed.test/file' }), 'EGRESS_PROTOCOL_NOT_ALLOWED', { protocol: 'ftp' });
    await expectAppError(strict.request({ url: 'file:///etc/passwd' }), 'EGRESS_PROTOCOL_NOT_ALLOWED');
    const invalid = await expectAppError(strict.request({ url: 'not a url' }), 'EGRESS_INVALID_URL');
    expect(httpStatusForCode(invalid.code)).toBe(400);
    await expectAppError(strict.request({ url: `http://user:pw@allowed.test:${target.port}/` }), 'EGRESS_INVALID_URL');
  });

  it('reports an unknown host as EGRESS_DNS_FAILED', async () => {
    await expectAppError(strict.request({ url: 'http://nowhere.test/' }), 'EGRESS_DNS_FAILED', { host: 'nowhere.test', reason: 'ENOTFOUND' });
  });

  it('refuses a header value with a line break as EGRESS_INVALID_REQUEST', async () => {
    await expectAppError(strict.request({ url: `http://allowed.test:${target.port}/echo`, headers: { 'x-a': 'b\r\nx-injected: 1' } }), 'EGRESS_INVALID_REQUEST');
  });
});
