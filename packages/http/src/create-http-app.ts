import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { AppError, CoreErrors, newId, type Logger } from '@weft/kernel';
import { sendError } from './error-reply';
import { createFastLaneServer, type FastLanes } from './fast-lanes';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON body, kept for signature verification (webhooks, Discord). */
    rawBody?: Buffer;
  }
  interface FastifyInstance {
    /** Endpoints served straight from node:http on real sockets (see fast-lanes.ts). */
    fastLanes: FastLanes;
  }
}

export interface HttpAppOptions {
  logger: Logger;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  /** Trust X-Forwarded-For from a reverse proxy in front of Weft. */
  trustProxy?: boolean | number | string[];
  /** Maps a request's URL before routing (e.g. hosted webhook subdomains); see Fastify's `rewriteUrl`. */
  rewriteUrl?: (request: { url?: string; headers: Record<string, string | string[] | undefined> }) => string;
}

export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const fastLaneServer = createFastLaneServer({
    trustProxy: options.trustProxy ?? false,
    logger: options.logger,
    ...(options.rewriteUrl ? { rewriteUrl: options.rewriteUrl } : {}),
  });
  const app = Fastify({
    serverFactory: fastLaneServer.serverFactory as never,
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    // Typed as one member of the union: Fastify's overloads cannot pick one for the union itself.
    trustProxy: (options.trustProxy ?? false) as boolean,
    genReqId: () => newId(),
    ...(options.rewriteUrl ? { rewriteUrl: options.rewriteUrl } : {}),
    // One line per request is written by our onResponse hook instead.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Long path parameters reach the route's schema and get a 400 in our error shape, not a bare 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    // Routes validate with zod (define-route.ts), never with Fastify's JSON schemas. Given these,
    // Fastify does not load its default compilers, Ajv and fast-json-stringify (a third of the
    // bundle's source text), and the build leaves them out.
    schemaController: { compilersFactory: { buildValidator: refuseRouteSchemas, buildSerializer: refuseRouteSchemas } },
  });

  app.decorate('fastLanes', fastLaneServer.lanes);
  app.addHook('preClose', (done) => {
    fastLaneServer.markClosing();
    done();
  });

  // Callback-style hooks: an async hook costs a promise per request on every route, webhooks included.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    if ((request.log as unknown as { isLevelEnabled(level: string): boolean }).isLevelEnabled('info')) {
      request.log.info(
        { method: request.method, url: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request',
      );
    }
    done();
  });

  // Parse JSON ourselves so the raw bytes stay available for signature checks.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json$/, { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch {
      done(new AppError(CoreErrors.MALFORMED_JSON, 'Body is not valid JSON'), undefined);
    }
  });

  // Files uploaded as the whole body (routes with `upload`): kept as bytes. Routes without `upload`
  // have no body schema that accepts a Buffer, so such a body is refused there as invalid.
  for (const type of ['application/octet-stream', /^image\//]) app.addContentTypeParser(type, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https://cdn.discordapp.com'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });

  await app.register(rateLimit, {
    global: true,
    max: options.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) =>
      new AppError(CoreErrors.RATE_LIMITED, 'Too many requests, slow down', {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });

  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new AppError(CoreErrors.ROUTE_NOT_FOUND, `No route for ${request.method} ${request.url.split('?')[0]}`)),
  );
  return app;
}

function refuseRouteSchemas(): never {
  throw new Error('Fastify route schemas are not supported: validate with zod through defineRoute');
}
