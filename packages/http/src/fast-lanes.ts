import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import { newId, type Logger } from '@weft/kernel';
import { toErrorBody } from './error-reply';
import { endInBatch } from './reply-batch';

/** What a lane handler gets besides the raw request and response. */
export interface FastLaneRequest {
  readonly raw: IncomingMessage;
  /** The URL after the app's `rewriteUrl` (hosted webhook subdomains). */
  readonly url: string;
  /** The client's address, under the same proxy trust as Fastify's `request.ip`. */
  readonly ip: string;
  /** Sent back as `x-request-id`, as every Fastify reply is. */
  readonly requestId: string;
}

export interface FastLane {
  /** URL prefix the lane serves, e.g. `/hooks/`. */
  readonly prefix: string;
  /** Other methods go on to Fastify (its 404/405 answers stay the same). */
  readonly methods: readonly string[];
  /** Answers on `response` itself; a rejection is answered as a 500 in the API's error shape. */
  handle(request: FastLaneRequest, response: ServerResponse): Promise<void>;
}

export interface FastLanes {
  add(lane: FastLane): void;
}

type TrustProxy = boolean | number | string | string[];

/**
 * Routes the hottest public endpoints (webhooks) straight from node:http to
 * their handler, before Fastify builds its request, reply, child logger and
 * hook chain: on a three-node webhook run that pipeline cost about as much
 * as the run itself. Everything else, and `app.inject()`, goes through
 * Fastify as before; a lane's routes are registered there too, sharing the
 * lane's request handling, so both answer alike.
 */
export function createFastLaneServer(options: { trustProxy: TrustProxy; rewriteUrl?: (request: IncomingMessage) => string; logger: Logger }) {
  const lanes: FastLane[] = [];
  const clientAddress = createClientAddress(options.trustProxy);
  let isClosing = false;

  function findLane(request: IncomingMessage, url: string): FastLane | undefined {
    for (const lane of lanes) {
      if (url.startsWith(lane.prefix) && lane.methods.includes(request.method ?? '')) return lane;
    }
    return undefined;
  }

  function serve(request: IncomingMessage, response: ServerResponse, lane: FastLane, url: string): void {
    const requestId = newId();
    if (isClosing) {
      // As Fastify's return503OnClosing does.
      writeJson(response, 503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'The server is shutting down', requestId } }, requestId, { connection: 'close' });
      return;
    }
    lane.handle({ raw: request, url, ip: clientAddress(request), requestId }, response).catch((error: unknown) => {
      const { status, body } = toErrorBody(error, requestId);
      if (status >= 500) options.logger.error({ err: error, requestId }, 'request failed');
      if (response.headersSent) return void response.destroy();
      const retryAfter = (body.error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      writeJson(response, status, body, requestId, typeof retryAfter === 'number' ? { 'retry-after': String(Math.ceil(retryAfter)) } : {});
    });
  }

  return {
    lanes: { add: (lane: FastLane) => void lanes.push(lane) } satisfies FastLanes,
    /** From Fastify's preClose: new lane requests get 503, like Fastify's own routes. */
    markClosing(): void {
      isClosing = true;
    },
    /** Fastify's `serverFactory`: the same server settings Fastify applies to its own. */
    serverFactory(fastifyHandler: (request: IncomingMessage, response: ServerResponse) => void, serverOptions: FastifyServerOptions): Server {
      const server = createServer(serverOptions.http ?? {}, (request, response) => {
        if (lanes.length > 0) {
          const url = options.rewriteUrl ? options.rewriteUrl(request) : (request.url ?? '/');
          const lane = findLane(request, url);
          if (lane !== undefined) return serve(request, response, lane, url);
        }
        fastifyHandler(request, response);
      });
      server.keepAliveTimeout = serverOptions.keepAliveTimeout;
      server.requestTimeout = serverOptions.requestTimeout;
      server.setTimeout(serverOptions.connectionTimeout);
      if (serverOptions.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = serverOptions.maxRequestsPerSocket;
      return server;
    },
  };
}

/** The options Fastify hands its `serverFactory` (the ones applied to the server). */
interface FastifyServerOptions {
  http?: Parameters<typeof createServer>[0];
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
  maxRequestsPerSocket: number;
}

/** Fastify's `request.ip` rules (lib/request.js getTrustProxyFn), so a limiter keys on the same address either way. */
function createClientAddress(trustProxy: TrustProxy): (request: IncomingMessage) => string {
  if (trustProxy === false) return (request) => request.socket.remoteAddress ?? '';
  // A hop count alone cannot vouch for the peer: Fastify trusts nothing then.
  const trust =
    trustProxy === true
      ? () => true
      : typeof trustProxy === 'number'
        ? () => false
        : proxyAddr.compile(typeof trustProxy === 'string' ? trustProxy.split(',').map((value) => value.trim()) : trustProxy);
  return (request) => {
    const addresses = proxyAddr.all(request, trust);
    return addresses[addresses.length - 1] ?? '';
  };
}

/**
 * One write: status line, headers and body together, with the length and the request id every reply carries.
 * Adds those two to `headers` itself: callers hand over an object made for this reply (no copy per request).
 * The headers are checked now (an invalid one throws to the caller, which answers 500); the bytes leave
 * with the rest of this event-loop turn's replies (reply-batch.ts).
 */
export function writeReply(response: ServerResponse, status: number, headers: Record<string, string | number>, payload: string | Buffer, requestId: string): void {
  headers['content-length'] = Buffer.byteLength(payload);
  headers['x-request-id'] = requestId;
  response.writeHead(status, headers);
  endInBatch(response, payload);
}

export function writeJson(response: ServerResponse, status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): void {
  writeReply(response, status, { ...headers, 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(body), requestId);
}
