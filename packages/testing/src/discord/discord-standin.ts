import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { Clock } from '@weft/kernel';
import { DiscordRouter, type RouteReply, type RouteRequest } from './discord-router';
import {
  replyDiscordError,
  replyMethodNotAllowed,
  replyNotFound,
  replyRateLimited,
  replyServerError,
} from './discord-replies';
import { DiscordState } from './discord-state';
import type { RestFault } from './fault-queue';
import { registerApplicationCommandRoutes } from './application-commands.routes';
import { registerChannelRoutes } from './channels.routes';
import { StandinGateway, type GatewayOptions } from './gateway/standin-gateway';
import { registerGatewayRoutes } from './gateway.routes';
import { registerGuildMemberRoutes } from './guild-members.routes';
import { registerGuildRoutes } from './guilds.routes';
import { sendInteraction, type SendInteractionOptions, type SendInteractionResult } from './interaction-delivery';
import type { InteractionResponse, InteractionResponseKind } from './interaction-store';
import { registerInteractionRoutes } from './interactions.routes';
import { registerOAuthRoutes } from './oauth.routes';
import { bucketHash } from './rate-limit-buckets';
import { redactHeaders } from './request-log';
import { registerUserRoutes } from './users.routes';
import { WorldEvents } from './world-events';

export interface DiscordStandinOptions {
  /** Default 127.0.0.1: the stand-in is for this machine only. */
  host?: string;
  /** Default 0: a free port chosen by the system. */
  port?: number;
  /** Time for token, code and rate-limit expiry; a manual clock lets tests jump ahead. */
  clock?: Clock;
  gateway?: GatewayOptions;
}

export interface DiscordStandin {
  /** Base URL, e.g. `http://127.0.0.1:41234`; the authorize page is `${url}/oauth2/authorize`. */
  url: string;
  /** REST base, `${url}/api/v10`: what a client's `DISCORD_API_URL` points to. */
  apiUrl: string;
  /** The gateway's URL, `ws://127.0.0.1:<port>`; clients add `?v=10&encoding=json`. */
  gatewayUrl: string;
  state: DiscordState;
  /** Gateway controls: dispatch, drop or close sessions, counters, per-session dispatch logs. */
  gateway: StandinGateway;
  /** Member joins, messages, reactions, role/channel/guild changes, announced on the gateway. */
  simulate: WorldEvents;
  /** POSTs a signed interaction to an application's endpoint, as Discord does. */
  sendInteraction(applicationId: string, options: SendInteractionOptions): Promise<SendInteractionResult>;
  /** The application's first response of a kind (default the initial callback) to an interaction. */
  waitForInteractionResponse(interactionId: string, options?: { timeoutMs?: number; kind?: InteractionResponseKind }): Promise<InteractionResponse>;
  close(): Promise<void>;
}

/** The API versions Discord still serves (Reference › API Versioning); others get 400. */
const SUPPORTED_API_VERSIONS = new Set(['9', '10']);
const API_PATH = /^\/api(?:\/v(\d+))?(\/.*)?$/;

/**
 * Starts a local HTTP server that answers like discord.com for the routes
 * registered below, so Weft's Discord client runs unchanged against it.
 */
export async function startDiscordStandin(options: DiscordStandinOptions = {}): Promise<DiscordStandin> {
  const state = new DiscordState({ clock: options.clock });
  const router = new DiscordRouter();
  registerOAuthRoutes(router, state);
  registerUserRoutes(router, state);
  registerApplicationCommandRoutes(router, state);
  registerInteractionRoutes(router, state);
  registerChannelRoutes(router, state);
  registerGuildRoutes(router, state);
  registerGuildMemberRoutes(router, state);

  const server = createServer((request, response) => {
    answerRequest(request, response, router, state).catch((error: unknown) => {
      if (response.headersSent) return response.destroy();
      writeReply(response, replyDiscordError(500, 0, `Discord stand-in failed: ${String(error)}`));
    });
  });
  let gatewayUrl = '';
  const gateway = new StandinGateway(server, state, () => gatewayUrl, options.gateway);
  registerGatewayRoutes(router, state, gateway);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const url = `http://${authority}`;
  gatewayUrl = `ws://${authority}`;
  return {
    url,
    apiUrl: `${url}/api/v10`,
    gatewayUrl,
    state,
    gateway,
    simulate: new WorldEvents(state),
    sendInteraction: (applicationId, sendOptions) => {
      const application = state.findApplication(applicationId);
      if (!application) throw new Error(`Discord stand-in: no application ${applicationId}`);
      return sendInteraction(state, application, sendOptions);
    },
    waitForInteractionResponse: (interactionId, waitOptions) => state.interactions.waitFor(interactionId, waitOptions),
    close: () =>
      new Promise<void>((resolve, reject) => {
        gateway.close();
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients keep connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

async function answerRequest(
  incoming: IncomingMessage,
  response: ServerResponse,
  router: DiscordRouter,
  state: DiscordState,
): Promise<void> {
  const body = await readBody(incoming);
  const method = incoming.method ?? 'GET';
  const url = new URL(incoming.url ?? '/', 'http://standin.invalid');
  state.requests.push({
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: redactHeaders(incoming.headers),
    body,
    receivedAt: state.clock.now(),
  });

  const api = API_PATH.exec(url.pathname);
  const surface = api ? 'api' : 'web';
  const path = api ? (api[2] ?? '/') : url.pathname;
  const match = router.match(method, path, surface);
  const routePattern = match.kind === 'found' ? match.route.path : undefined;

  const fault = state.faults.takeFor(method, path, routePattern);
  if (fault?.kind === 'drop') {
    incoming.socket.destroy();
    return;
  }
  if (fault) return writeReply(response, replyFault(fault, method, routePattern ?? path, state));

  if (api?.[1] !== undefined && !SUPPORTED_API_VERSIONS.has(api[1])) {
    return writeReply(response, replyDiscordError(400, RESTJSONErrorCodes.InvalidAPIVersion, 'Invalid API version'));
  }
  if (match.kind === 'not-found') return writeReply(response, replyNotFound());
  if (match.kind === 'method-not-allowed') return writeReply(response, replyMethodNotAllowed());

  const request: RouteRequest = {
    method,
    path,
    params: match.params,
    query: url.searchParams,
    headers: incoming.headers,
    body,
    surface,
  };
  if (surface === 'web') return writeReply(response, await match.route.reply(request));

  // Every REST reply carries the X-RateLimit-* headers (Topics › Rate Limits › Header Format).
  const verdict = state.rateLimits.consume({
    method,
    routePattern: match.route.path,
    params: match.params,
    caller: identifyCaller(incoming),
  });
  if (verdict.retryAfterSeconds !== undefined) {
    return writeReply(response, replyRateLimited(verdict.retryAfterSeconds, false, verdict.headers));
  }
  const reply = await match.route.reply(request);
  writeReply(response, { ...reply, headers: { ...verdict.headers, ...reply.headers } });
}

function replyFault(fault: Exclude<RestFault, { kind: 'drop' }>, method: string, route: string, state: DiscordState): RouteReply {
  if (fault.kind === '5xx') return replyServerError(fault.status);
  const isGlobal = fault.global ?? false;
  if (isGlobal) return replyRateLimited(fault.retryAfterSeconds, true);
  const resetsAtSeconds = state.clock.now().getTime() / 1000 + fault.retryAfterSeconds;
  return replyRateLimited(fault.retryAfterSeconds, false, {
    'X-RateLimit-Limit': String(state.rateLimits.settings.limit),
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Reset': resetsAtSeconds.toFixed(3),
    'X-RateLimit-Reset-After': fault.retryAfterSeconds.toFixed(3),
    'X-RateLimit-Bucket': bucketHash(method, route),
  });
}

/** Limits are counted per token, or per address for unauthenticated calls (Topics › Rate Limits). */
function identifyCaller(incoming: IncomingMessage): string {
  const authorization = incoming.headers.authorization;
  if (authorization) return createHash('sha256').update(authorization).digest('hex');
  return incoming.socket.remoteAddress ?? 'unknown';
}

function writeReply(response: ServerResponse, reply: RouteReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let body: string | undefined;
  if (reply.json !== undefined) {
    body = JSON.stringify(reply.json);
    headers['Content-Type'] = 'application/json';
  }
  response.writeHead(reply.status, headers);
  response.end(body);
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
