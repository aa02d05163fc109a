import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { GatewayCloseCodes, GatewayOpcodes, type APIGatewaySessionStartLimit } from 'discord-api-types/v10';
import type { DiscordState } from '../discord-state';
import { GatewayConnection } from './gateway-connection';
import { GatewayHub } from './gateway-hub';
import type { Delivery, RecordedDispatch } from './gateway-session';

export interface GatewayOptions {
  /** Sent in HELLO; Discord's is 41250 ms. Tests use small values. */
  heartbeatIntervalMs?: number;
  /** Extra time after the interval before a silent session times out (4009). Default: half the interval. */
  heartbeatGraceMs?: number;
  /** IDENTIFYs allowed per application per 24 h (Topics › Gateway › Session Start Limit); default 1000. */
  sessionStartLimit?: number;
}

export interface GatewaySessionSnapshot {
  id: string;
  intents: number;
  shard?: [number, number];
  seq: number;
  isConnected: boolean;
  isResumable: boolean;
  /** Every dispatch the session produced, with its sequence number. */
  dispatches: RecordedDispatch[];
  /** Every dispatch frame actually sent, per connection; a seq twice on one connection is a duplicate. */
  deliveries: Delivery[];
}

/** Versions the gateway still serves (Reference › API Versioning); others are closed with 4012. */
const SUPPORTED_VERSIONS = new Set(['9', '10']);

/**
 * The gateway of the stand-in, on the HTTP server's port at path `/`
 * (`ws://host:port/?v=10&encoding=json`), and the controls tests steer it with.
 */
export class StandinGateway {
  private readonly hub: GatewayHub;
  private readonly sockets = new WebSocketServer({ noServer: true });

  constructor(
    server: Server,
    private readonly state: DiscordState,
    private readonly getUrl: () => string,
    private readonly options: GatewayOptions = {},
  ) {
    this.hub = new GatewayHub(state, getUrl, options.sessionStartLimit ?? 1000);
    server.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
  }

  /** `ws://host:port`: what GET /gateway/bot answers and READY's `resume_gateway_url`. */
  get url(): string {
    return this.getUrl();
  }

  /** Sends a dispatch to the application's sessions that may receive it (intents, shard), as Discord would. */
  dispatch(applicationId: string, event: string, data: unknown): void {
    const guildId = typeof (data as { guild_id?: unknown })?.guild_id === 'string' ? (data as { guild_id: string }).guild_id : undefined;
    this.state.bus.publish({ event, data, applicationIds: [applicationId], ...(guildId ? { guildId } : {}) });
  }

  /** Destroys the application's sockets without a close frame; the sessions stay resumable. */
  dropConnections(applicationId: string): number {
    const connections = this.hub.connectionsOf(applicationId);
    for (const connection of connections) connection.terminate();
    return connections.length;
  }

  /** Closes the application's connections with a close code; codes that end a session make it unresumable. */
  closeSessions(applicationId: string, code: number, reason = 'Closed by the stand-in.'): number {
    const connections = this.hub.connectionsOf(applicationId);
    for (const connection of connections) connection.close(code, reason);
    return connections.length;
  }

  /** Opcode 7: asks the bot to reconnect and resume (Events › Gateway Events › Reconnect). */
  requestReconnect(applicationId: string): number {
    const connections = this.hub.connectionsOf(applicationId);
    for (const connection of connections) connection.send({ op: GatewayOpcodes.Reconnect, d: null, s: null, t: null });
    return connections.length;
  }

  /** Opcode 9 with `d` = whether the session may be resumed. */
  invalidateSessions(applicationId: string, isResumable: boolean): number {
    const connections = this.hub.connectionsOf(applicationId);
    for (const connection of connections) {
      if (!isResumable && connection.session) connection.session.isResumable = false;
      connection.send({ op: GatewayOpcodes.InvalidSession, d: isResumable, s: null, t: null });
    }
    return connections.length;
  }

  countConnectedSessions(applicationId: string): number {
    return this.listSessions(applicationId).filter((session) => session.isConnected).length;
  }

  countIdentifies(applicationId: string): number {
    return this.hub.countIdentifies(applicationId);
  }

  countResumes(applicationId: string): number {
    return this.hub.countResumes(applicationId);
  }

  sessionStartLimit(applicationId: string): APIGatewaySessionStartLimit {
    return this.hub.startLimits.describe(applicationId);
  }

  listSessions(applicationId: string): GatewaySessionSnapshot[] {
    return [...this.hub.sessions.values()]
      .filter((session) => session.application.id === applicationId)
      .map((session) => ({
        id: session.id,
        intents: session.intents,
        ...(session.shard ? { shard: session.shard } : {}),
        seq: session.seq,
        isConnected: session.isConnected,
        isResumable: session.isResumable,
        dispatches: [...session.dispatches],
        deliveries: [...session.deliveries],
      }));
  }

  /** Resolves once the application has `count` connected sessions (e.g. after an SDK logged in). */
  async waitForConnectedSessions(applicationId: string, count = 1, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.countConnectedSessions(applicationId) < count) {
      if (Date.now() > deadline) throw new Error(`Discord stand-in: ${count} gateway session(s) not connected within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.hub.stop();
    this.sockets.close();
  }

  private upgrade(request: import('node:http').IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://standin.invalid');
    if (url.pathname !== '/') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (this.state.faults.takeGatewayFault('drop-connection')) {
      socket.destroy();
      return;
    }
    this.sockets.handleUpgrade(request, socket, head, (webSocket) => {
      const interval = this.options.heartbeatIntervalMs ?? 41_250;
      const connection = new GatewayConnection(webSocket, this.hub, {
        heartbeatIntervalMs: interval,
        heartbeatGraceMs: this.options.heartbeatGraceMs ?? Math.ceil(interval / 2),
      });
      this.hub.connections.add(connection);
      const version = url.searchParams.get('v');
      if (version !== null && !SUPPORTED_VERSIONS.has(version)) {
        return connection.close(GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version.');
      }
      // Only JSON is spoken; an ETF client could not read a single frame.
      const encoding = url.searchParams.get('encoding');
      if (encoding !== null && encoding !== 'json') return connection.close(GatewayCloseCodes.DecodeError, 'Only encoding=json is supported.');
      connection.start();
    });
  }
}
