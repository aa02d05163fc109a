import { WebSocket, type RawData } from 'ws';
import { GatewayCloseCodes, GatewayOpcodes } from 'discord-api-types/v10';
import type { GatewaySession, RecordedDispatch, SessionTransport } from './gateway-session';

/** Events › Gateway › Rate Limiting: 120 gateway events per connection per 60 seconds. */
const MAX_EVENTS_PER_MINUTE = 120;

/** What a connection asks of the gateway as a whole. */
export interface ConnectionHost {
  identify(connection: GatewayConnection, data: unknown): void;
  resume(connection: GatewayConnection, data: unknown): void;
  requestGuildMembers(connection: GatewayConnection, data: unknown): void;
  onConnectionClosed(connection: GatewayConnection, code: number): void;
}

export interface ConnectionOptions {
  heartbeatIntervalMs: number;
  /** How long past the interval a heartbeat may be late before the session times out (4009). */
  heartbeatGraceMs: number;
}

/**
 * One WebSocket to the gateway: HELLO, heartbeats, the opcode rules and close
 * codes of Topics › Opcodes and Status Codes › Gateway. IDENTIFY and RESUME are
 * decided by the host, which attaches a session.
 */
export class GatewayConnection implements SessionTransport {
  session: GatewaySession | undefined;
  /** The close code this side sent, when the server closed the connection. */
  serverCloseCode: number | undefined;
  private heartbeatDeadline: NodeJS.Timeout | undefined;
  private hasEnded = false;
  private readonly receivedAtMs: number[] = [];

  constructor(
    readonly socket: WebSocket,
    private readonly host: ConnectionHost,
    private readonly options: ConnectionOptions,
  ) {
    socket.on('message', (raw, isBinary) => this.receive(raw, isBinary));
    socket.on('close', (code) => this.endSession(this.serverCloseCode ?? code));
    socket.on('error', () => socket.terminate());
  }

  start(): void {
    this.send({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null });
    this.armHeartbeatDeadline();
  }

  sendDispatch(dispatch: RecordedDispatch): void {
    this.send({ op: GatewayOpcodes.Dispatch, t: dispatch.event, s: dispatch.seq, d: dispatch.data });
  }

  send(payload: unknown): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(payload));
  }

  /** Closes with a code; the session is released at once, not when the client's close frame comes back. */
  close(code: number, reason: string): void {
    this.serverCloseCode ??= code;
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason);
    this.endSession(code);
  }

  /** Destroys the socket without a close frame, as a network failure would (1006 on both sides). */
  terminate(): void {
    this.socket.terminate();
    this.endSession(1006);
  }

  private endSession(code: number): void {
    this.clearHeartbeatDeadline();
    if (this.hasEnded) return;
    this.hasEnded = true;
    this.host.onConnectionClosed(this, code);
  }

  private receive(raw: RawData, isBinary: boolean): void {
    if (this.hasEnded) return;
    if (this.isRateLimited()) return this.close(GatewayCloseCodes.RateLimited, 'You are being rate limited.');
    let payload: { op?: unknown; d?: unknown };
    try {
      // Payload compression from the client is not accepted; frames must be JSON text.
      if (isBinary) throw new Error('binary frame');
      payload = JSON.parse(rawToString(raw)) as { op?: unknown; d?: unknown };
    } catch {
      return this.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    }
    if (typeof payload !== 'object' || payload === null || typeof payload.op !== 'number') {
      return this.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    }
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.armHeartbeatDeadline();
        return this.send({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
      case GatewayOpcodes.Identify:
        if (this.session) return this.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
        return this.host.identify(this, payload.d);
      case GatewayOpcodes.Resume:
        if (this.session) return this.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
        return this.host.resume(this, payload.d);
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
      case GatewayOpcodes.RequestSoundboardSounds:
        if (!this.session) return this.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        // Presence and voice are accepted and not modelled.
        if (payload.op === GatewayOpcodes.RequestGuildMembers) this.host.requestGuildMembers(this, payload.d);
        return;
      default:
        return this.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    }
  }

  private isRateLimited(): boolean {
    const nowMs = Date.now();
    while (this.receivedAtMs.length > 0 && nowMs - this.receivedAtMs[0]! >= 60_000) this.receivedAtMs.shift();
    this.receivedAtMs.push(nowMs);
    return this.receivedAtMs.length > MAX_EVENTS_PER_MINUTE;
  }

  /** A client that stops heartbeating has its session timed out (4009, not resumable). */
  private armHeartbeatDeadline(): void {
    this.clearHeartbeatDeadline();
    this.heartbeatDeadline = setTimeout(
      () => this.close(GatewayCloseCodes.SessionTimedOut, 'Session timed out.'),
      this.options.heartbeatIntervalMs + this.options.heartbeatGraceMs,
    );
    this.heartbeatDeadline.unref();
  }

  private clearHeartbeatDeadline(): void {
    if (this.heartbeatDeadline) clearTimeout(this.heartbeatDeadline);
    this.heartbeatDeadline = undefined;
  }
}

function rawToString(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw as ArrayBuffer).toString('utf8');
}
